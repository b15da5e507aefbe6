#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (JMH's -prof async:output=collapsed).

usage: profile-summary.py FILE [--only REGEX] [--drop REGEX] [--top N] [--frame REGEX ...]

--only keeps the stacks that contain a frame matching REGEX (e.g. the measured code path), --drop
removes the stacks that contain one (e.g. the iteration set-up of a single-shot benchmark). Prints the
samples kept, the top self frames, the top inclusive frames, and the inclusive share of each --frame.
For an allocation profile the counts are bytes (async-profiler's alloc event), so the shares are of
the bytes allocated.
"""
import argparse
import collections
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--frame", action="append", default=[])
    ap.add_argument("--title", default=None)
    args = ap.parse_args()
    only = [re.compile(r) for r in args.only]
    drop = [re.compile(r) for r in args.drop]
    wanted = [(r, re.compile(r)) for r in args.frame]

    self_counts = collections.Counter()
    incl_counts = collections.Counter()
    frame_counts = collections.Counter()
    total = 0
    for line in open(args.file):
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if only and not all(any(r.search(f) for f in frames) for r in only):
            continue
        if any(r.search(f) for r in drop for f in frames):
            continue
        n = int(count)
        total += n
        self_counts[simplify(frames[-1])] += n
        for f in set(simplify(f) for f in frames):
            incl_counts[f] += n
        for name, r in wanted:
            if any(r.search(f) for f in frames):
                frame_counts[name] += n
    title = args.title or args.file
    print(f"### {title}")
    print()
    print(f"kept {total} {'samples' if 'cpu' in args.file or 'wall' in args.file else 'units'}"
          + (f" (only {', '.join(args.only)})" if args.only else "")
          + (f" (dropped {', '.join(args.drop)})" if args.drop else ""))
    print()
    if total == 0:
        return
    if wanted:
        print("| frame (inclusive) | share |")
        print("|---|---:|")
        for name, _ in wanted:
            print(f"| `{name}` | {100.0 * frame_counts[name] / total:.1f} % |")
        print()
    print("| top self frames | share |")
    print("|---|---:|")
    for f, n in self_counts.most_common(args.top):
        print(f"| `{f}` | {100.0 * n / total:.1f} % |")
    print()
    print("| top inclusive frames | share |")
    print("|---|---:|")
    for f, n in incl_counts.most_common(args.top + 10):
        print(f"| `{f}` | {100.0 * n / total:.1f} % |")
    print()


def simplify(frame):
    # lambda and hidden class addresses change from run to run
    frame = re.sub(r"\$\$Lambda\.0x[0-9a-f]+", "$$Lambda", frame)
    frame = re.sub(r"0x[0-9a-f]{6,}", "0x…", frame)
    return frame.replace("/", ".")


if __name__ == "__main__":
    sys.exit(main())
