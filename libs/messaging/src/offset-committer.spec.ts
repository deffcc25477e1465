import { OffsetCommitter, type PartitionPosition } from './offset-committer';

function setUp(commit: (positions: PartitionPosition[]) => Promise<void> = async () => undefined) {
  const commits: PartitionPosition[][] = [];
  const errors: unknown[] = [];
  let due: (() => void) | undefined;
  let scheduled = 0;
  const committer = new OffsetCommitter({
    commit: async (positions) => {
      commits.push(positions);
      await commit(positions);
    },
    intervalMs: 1000,
    onError: (error) => errors.push(error),
    schedule: (run) => {
      scheduled += 1;
      due = run;
      return { cancel: () => (due = undefined) };
    },
  });
  const tick = async () => {
    const run = due;
    due = undefined;
    run?.();
    await committer.flush();
  };
  return { committer, commits, errors, tick, scheduled: () => scheduled };
}

describe('OffsetCommitter', () => {
  it('commits each partition once an interval, at the position after its last handled message', async () => {
    const { committer, commits, tick, scheduled } = setUp();
    committer.handled('order.placed', 0, '4');
    committer.handled('order.placed', 0, '9');
    committer.handled('order.placed', 2, '1');
    committer.handled('payment.succeeded', 0, '99');
    expect(commits).toEqual([]);
    expect(scheduled()).toBe(1);

    await tick();

    expect(commits).toEqual([
      [
        { topic: 'order.placed', partition: 0, offset: '10' },
        { topic: 'order.placed', partition: 2, offset: '2' },
        { topic: 'payment.succeeded', partition: 0, offset: '100' },
      ],
    ]);
  });

  it('keeps offsets past 2^53 exact', async () => {
    const { committer, commits, tick } = setUp();
    committer.handled('t', 0, '9007199254740993');
    await tick();
    expect(commits[0]).toEqual([{ topic: 't', partition: 0, offset: '9007199254740994' }]);
  });

  it('commits nothing when nothing was handled since the last commit', async () => {
    const { committer, commits, tick } = setUp();
    committer.handled('t', 0, '1');
    await tick();
    await committer.flush();
    expect(commits).toHaveLength(1);
  });

  it('commits what is pending at once on flush (shutdown), without waiting for the interval', async () => {
    const { committer, commits } = setUp();
    committer.handled('t', 1, '7');
    await committer.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 1, offset: '8' }]]);
  });

  it('reports a failed commit and goes on with newer positions', async () => {
    let fail = true;
    const { committer, commits, errors, tick } = setUp(async () => {
      if (fail) throw new Error('REBALANCE_IN_PROGRESS');
    });
    committer.handled('t', 0, '1');
    await tick();
    expect(errors).toHaveLength(1);

    fail = false;
    committer.handled('t', 0, '5');
    await tick();
    expect(commits.at(-1)).toEqual([{ topic: 't', partition: 0, offset: '6' }]);
    expect(errors).toHaveLength(1);
  });

  it('never lets an earlier commit finish after a later one', async () => {
    const finished: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { committer } = setUp(async (positions) => {
      if (positions[0]!.offset === '2') await gate;
      finished.push(positions[0]!.offset);
    });
    committer.handled('t', 0, '1');
    const first = committer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    committer.handled('t', 0, '2');
    const second = committer.flush();
    release();
    await Promise.all([first, second]);
    expect(finished).toEqual(['2', '3']);
  });
});
