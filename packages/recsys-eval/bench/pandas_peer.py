"""The benchmark's peer: ndcg@k and precision@k with pandas, by the definitions in the recsys-eval README.

Run by evaluate.bench.ts with Debian's /usr/bin/python3 (python3-pandas):
    /usr/bin/python3 pandas_peer.py <recommendations.csv> <interactions.csv> <k,k,...>
Prints one JSON object: seconds, cpuSeconds, peakRssBytes and the metrics.
"""

import json
import resource
import sys
import time

import numpy as np
import pandas as pd


def main(recommendations_path, interactions_path, ks):
    started = time.perf_counter()
    cpu_started = time.process_time()
    recs = pd.read_csv(recommendations_path, dtype={"user": str, "item": str, "score": float})
    truth = pd.read_csv(interactions_path, dtype={"user": str, "item": str})
    # Equal scores keep the file order (a stable sort), as ours and Microsoft Recommenders' do.
    recs = recs.sort_values(["user", "score"], ascending=[True, False], kind="stable")
    recs["rank"] = recs.groupby("user", sort=False).cumcount() + 1
    truth["hit"] = 1.0
    relevant_count = truth.groupby("user").size()
    metrics = {}
    for k in ks:
        top = recs[recs["rank"] <= k].merge(truth, on=["user", "item"], how="left")
        top["hit"] = top["hit"].fillna(0.0)
        top["dcg"] = top["hit"] / np.log2(top["rank"] + 1)
        per_user = top.groupby("user").agg(hits=("hit", "sum"), dcg=("dcg", "sum"))
        evaluated = per_user[per_user.index.isin(relevant_count.index)]
        metrics[f"precision@{k}"] = float((evaluated["hits"] / k).mean())
        ideal = np.cumsum(1 / np.log2(np.arange(2, k + 2)))
        idcg = ideal[np.minimum(relevant_count.to_numpy(), k) - 1]
        dcg = per_user["dcg"].reindex(relevant_count.index, fill_value=0.0).to_numpy()
        metrics[f"ndcg@{k}"] = float(np.mean(dcg / idcg))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    cpu_seconds = time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "peakRssBytes": peak, "metrics": metrics}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [int(k) for k in sys.argv[3].split(",")])
