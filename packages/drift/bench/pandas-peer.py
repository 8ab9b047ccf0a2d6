"""pandas + SciPy peer for drift.bench.ts: read both CSVs, then per numeric column ks_2samp, wasserstein_distance and
a PSI on Evidently's Sturges bins, per categorical column Evidently's chi-square (scipy.stats.chisquare of the current
counts against the reference's proportions) and its Jensen-Shannon distance (empty bins left empty).

Usage: /usr/bin/python3 pandas-peer.py <reference.csv> <current.csv>   (prints one JSON line)
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

started = time.perf_counter()
reference = pd.read_csv(sys.argv[1])
current = pd.read_csv(sys.argv[2])
read = time.perf_counter()


def fill_zero_shares(shares):
    smallest = shares[shares > 0].min()
    return np.where(shares == 0, smallest / 1e6 if smallest <= 1e-4 else 1e-4, shares)


statistics = {}
for column in reference.columns:
    ref, cur = reference[column].dropna(), current[column].dropna()
    if ref.dtype.kind in "if":
        ks = stats.ks_2samp(ref, cur, method="auto")
        if ref.nunique() > 20:
            edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
            p, q = np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)
        else:
            keys = np.union1d(ref.unique(), cur.unique())
            p = ref.value_counts().reindex(keys, fill_value=0).to_numpy() / len(ref)
            q = cur.value_counts().reindex(keys, fill_value=0).to_numpy() / len(cur)
        p, q = fill_zero_shares(p), fill_zero_shares(q)
        statistics[column] = [float(ks.statistic), float(ks.pvalue), float(stats.wasserstein_distance(ref, cur)),
                              float(np.sum((q - p) * np.log(q / p)))]
    else:
        keys = sorted(set(ref.unique()) | set(cur.unique()))
        x = ref.value_counts().reindex(keys, fill_value=0).to_numpy()
        y = cur.value_counts().reindex(keys, fill_value=0).to_numpy()
        with warnings.catch_warnings():
            # A category only the current file has divides by a zero expectation: +inf, Evidently's verdict.
            warnings.simplefilter("ignore", RuntimeWarning)
            chi, p_value = stats.chisquare(y, x * (y.sum() / x.sum()))
        js = jensenshannon(x / x.sum(), y / y.sum())
        statistics[column] = [float(chi), float(p_value), float(js)]

finished = time.perf_counter()
# A category only the current file has makes Evidently's chi-square infinite; JSON has no infinity, so both sides
# write non-finite values as JavaScript spells them.
for column, values in statistics.items():
    statistics[column] = [value if np.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
                          for value in values]
print(json.dumps({"seconds": finished - started, "readSeconds": read - started,
                  "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "statistics": statistics}))
