import { isMongoUrl, mongoDatabaseName, redactMongoUrl, withMongoDatabase } from './mongo-url';

describe('MongoDB URLs', () => {
  it('reads the database from the path', () => {
    expect(mongoDatabaseName('mongodb://127.0.0.1:27017/shop_review?retryWrites=false')).toBe('shop_review');
    expect(mongoDatabaseName('mongodb://a:b@h1,h2/')).toBeUndefined();
    expect(mongoDatabaseName('mongodb://h')).toBeUndefined();
  });

  it('puts a database in the path, keeping credentials and options', () => {
    expect(withMongoDatabase('mongodb://u:p@h:1/?replicaSet=rs', 'shop_review')).toBe('mongodb://u:p@h:1/shop_review?replicaSet=rs');
    expect(withMongoDatabase('mongodb://h:1', 'x')).toBe('mongodb://h:1/x');
    expect(withMongoDatabase('mongodb+srv://c.example.net/old', 'new')).toBe('mongodb+srv://c.example.net/new');
  });

  it('tells a MongoDB URL from anything else', () => {
    expect(isMongoUrl('mongodb://127.0.0.1:57017/')).toBe(true);
    expect(isMongoUrl('mongodb+srv://cluster0.example.net/reviews?w=majority')).toBe(true);
    expect(isMongoUrl('postgres://127.0.0.1/x')).toBe(false);
    expect(isMongoUrl('mongodb://')).toBe(false);
  });

  it('hides the password in logs', () => {
    expect(redactMongoUrl('mongodb://shop:s3cret@db:27017/r')).toBe('mongodb://shop:***@db:27017/r');
  });
});
