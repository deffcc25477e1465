import { Inject, Injectable } from '@nestjs/common';
import { type CategoryChangedV1, createEvent } from '@shop/contracts';
import { AppError } from '@shop/errors';
import { writeOutbox } from '@shop/messaging';
import { randomUUID } from 'node:crypto';
import { type Category, isUniqueViolation, PRISMA, type PrismaClient, type Tx } from '../prisma';
import type { Locale } from '../i18n/locales';
import { CategoryCache } from './category-cache';
import { SLUG_PATTERN, slugify } from './slug';
import { isUuid } from '@shop/validation';

export const MAX_CATEGORY_DEPTH = 6;

export interface NewCategory {
  name: string;
  slug?: string;
  parentId?: string;
}

/**
 * Categories form a tree; each keeps the ids of its path from the root, so ancestors are one read away.
 * Every change writes category.changed to the outbox in its transaction (caches of the tree follow it).
 */
@Injectable()
export class CategoriesService {
  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly cache: CategoryCache,
  ) {}

  /** The tree; with a locale other than the default, names translated where they are. */
  async list(locale?: Locale): Promise<Category[]> {
    const orderBy = [{ path: 'asc' as const }, { name: 'asc' as const }];
    if (!locale) return this.prisma.category.findMany({ orderBy });
    const categories = await this.prisma.category.findMany({ orderBy, include: { translations: { where: { locale }, select: { name: true } } } });
    return categories.map(({ translations, ...category }) => ({ ...category, name: translations[0]?.name ?? category.name }));
  }

  /** A category's name in another locale; category.changed goes out (caches of the tree follow it). */
  async setTranslation(id: string, locale: Locale, input: { name: string }): Promise<{ locale: string; name: string; description: string }> {
    const name = input.name.trim();
    if (!name || [...name].length > 100) throw AppError.invalid('name must be 1 to 100 characters');
    await this.get(id);
    await this.prisma.$transaction(async (tx) => {
      await tx.categoryTranslation.upsert({ where: { categoryId_locale: { categoryId: id, locale } }, create: { categoryId: id, locale, name }, update: { name } });
      await announce(tx, id, 'updated');
    });
    this.cache.invalidate();
    return { locale, name, description: '' };
  }

  async create(input: NewCategory): Promise<Category> {
    const name = input.name.trim();
    if (!name || [...name].length > 100) throw AppError.invalid('name must be 1 to 100 characters');
    const slug = this.slugOf(input.slug, name);
    let path: string[] = [];
    if (input.parentId !== undefined) {
      const parent = isUuid(input.parentId) ? await this.prisma.category.findUnique({ where: { id: input.parentId } }) : null;
      if (!parent) throw AppError.notFound('parentId is not a known category');
      if (parent.path.length >= MAX_CATEGORY_DEPTH) throw AppError.invalid(`categories nest at most ${MAX_CATEGORY_DEPTH} deep`);
      path = parent.path;
    }
    const id = randomUUID();
    try {
      const created = await this.prisma.$transaction(async (tx) => {
        const row = await tx.category.create({ data: { id, name, slug, parentId: input.parentId ?? null, path: [...path, id] } });
        await announce(tx, id, 'created');
        return row;
      });
      this.cache.invalidate();
      return created;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('already_exists', `a category with slug "${slug}" exists`);
      throw error;
    }
  }

  async update(id: string, changes: { name?: string; slug?: string }): Promise<Category> {
    await this.get(id);
    const data: { name?: string; slug?: string } = {};
    if (changes.name !== undefined) {
      data.name = changes.name.trim();
      if (!data.name || [...data.name].length > 100) throw AppError.invalid('name must be 1 to 100 characters');
    }
    if (changes.slug !== undefined) data.slug = this.slugOf(changes.slug, '');
    try {
      const updated = await this.prisma.$transaction(async (tx) => {
        const row = await tx.category.update({ where: { id }, data });
        await announce(tx, id, 'updated');
        return row;
      });
      this.cache.invalidate();
      return updated;
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('already_exists', `a category with slug "${data.slug}" exists`);
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    const [children, products] = await Promise.all([
      this.prisma.category.count({ where: { parentId: id } }),
      this.prisma.productCategory.count({ where: { categoryId: id, product: { deletedAt: null } } }),
    ]);
    if (children > 0 || products > 0) {
      throw new AppError('failed_precondition', 'a category with sub-categories or products cannot be deleted');
    }
    await this.prisma.$transaction(async (tx) => {
      await tx.productCategory.deleteMany({ where: { categoryId: id } });
      await tx.category.delete({ where: { id } });
      await announce(tx, id, 'deleted');
    });
    this.cache.invalidate();
  }

  async get(id: string): Promise<Category> {
    const category = isUuid(id) ? await this.prisma.category.findUnique({ where: { id } }) : null;
    if (!category) throw AppError.notFound('category not found');
    return category;
  }

  /** A category by id or slug; undefined when there is none. From the tree kept in memory (searches ask this per request). */
  resolve(idOrSlug: string): Promise<Category | undefined> {
    return this.cache.resolve(idOrSlug);
  }

  private slugOf(requested: string | undefined, name: string): string {
    // A name with no letter or digit a slug can take ("¿", "日本") gets one of its own.
    const slug = requested === undefined ? slugify(name) || `category-${randomUUID().slice(0, 8)}` : requested.trim().toLowerCase();
    if (!SLUG_PATTERN.test(slug) || slug.length > 80) throw AppError.invalid('slug must be lower-case words joined by dashes');
    return slug;
  }
}

function announce(tx: Tx, categoryId: string, change: CategoryChangedV1['change']): Promise<void> {
  return writeOutbox(tx, [createEvent('category.changed', categoryId, { categoryId, change })]);
}
