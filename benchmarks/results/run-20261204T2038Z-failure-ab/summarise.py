"""Summarises ab-failure.sh's JSON: per variant, the median same-invocation ratio of each round (3 forks x 50 shots)."""
import json, sys, glob, os, statistics as st, collections
out = sys.argv[1]
rows = collections.OrderedDict()
for f in sorted(glob.glob(os.path.join(out, '*-r[0-9].json'))):
    name, rnd = os.path.basename(f)[:-5].rsplit('-r', 1)
    for b in json.load(open(f)):
        sm = b['secondaryMetrics']
        allv = lambda k: [x for fork in sm[k]['rawData'] for x in fork]
        rows.setdefault(name, []).append((st.median(allv('ratio')), st.median(allv('libraryUs')), st.median(allv('floorUs')),
                                          [st.median(fork) for fork in sm['ratio']['rawData']]))
order = ['cold-main', 'cold-chain16', 'cold-chain16-yield', 'warm-main', 'warm-chain16', 'warm-chain16-yield',
         'warm-chainall-yield', 'warm-yield', 'warm-hold', 'warm-direct', 'warm-hold-direct', 'warm-token-cancel-from-vt']
print('| variant | ratio, round 1 / 2 / 3 | median of the 9 forks | library, floor (µs, median of rounds) |')
print('|---|---|---:|---|')
for name in order + [n for n in rows if n not in order]:
    if name not in rows: continue
    r = rows[name]
    forks = [x for v in r for x in v[3]]
    print('| %s | %s | %.2f | %.1f, %.1f |' % (name, ' / '.join('%.2f' % v[0] for v in r), st.median(forks),
          st.median(v[1] for v in r), st.median(v[2] for v in r)))
