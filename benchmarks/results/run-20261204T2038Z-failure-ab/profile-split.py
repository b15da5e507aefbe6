"""Splits an async-profiler collapsed CPU profile of JvmFloorBenchmark.failureFanOut (100 siblings) into
the failing thread's escalation and the cancel walk inside it, and compares the CPU of the library's task
threads with the latch's threads.   python3 profile-split.py collapsed-cpu.csv"""
import sys, collections

def stacks(path):
    for line in open(path):
        st, _, n = line.rstrip().rpartition(' ')
        yield st.split(';'), int(n)

def short(frame):
    return frame.split('/')[-1]

path = sys.argv[1]
threads = collections.Counter()
escalate = collections.Counter()
walk = collections.Counter()
walk_leaf = collections.Counter()
for frames, n in stacks(path):
    if any('TaskRun.run' in f for f in frames):
        threads['library task threads (TaskRun.run)'] += n
    elif any('ParkedSiblings' in f for f in frames):
        threads['latch side threads (ParkedSiblings)'] += n
    at = [i for i, f in enumerate(frames) if 'Escalation.escalate' in f]
    if at:
        below = frames[at[0] + 1:]
        escalate[short(below[0]) if below else '(self)'] += n
        tree = [i for i, f in enumerate(below) if 'cancelTree' in f]
        if tree:
            inner = below[tree[0] + 1:]
            walk[';'.join(short(f) for f in inner[:3]) if inner else '(self)'] += n
            walk_leaf[short(inner[-1]) if inner else '(self)'] += n

def table(title, counter, limit):
    total = sum(counter.values())
    print(f'\n| {title} | samples | share |\n|---|---:|---:|')
    for key, n in counter.most_common(limit):
        print(f'| `{key}` | {n} | {100 * n / total:.1f} % |')
    print(f'| all | {total} | 100 % |')

table('thread group', threads, 5)
table('the failing thread, under Escalation.escalate', escalate, 8)
table('the cancel walk (cancelTree), first frames below it', walk, 8)
table('the cancel walk, leaf frames', walk_leaf, 14)
