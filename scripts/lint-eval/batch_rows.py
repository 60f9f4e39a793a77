#!/usr/bin/env python3
"""batch_rows.py ROOT: one row per batch (claimed_BATCH.txt files of the pass root) for docs/LINT.md: projects
with a shown finding, the others, files and lines default / --tests, shown and real default / --tests."""
import os,sys,subprocess,collections
R=sys.argv[1]
rows={}
out=subprocess.run(["python3",os.path.join(os.path.dirname(os.path.abspath(__file__)),"tally.py")],capture_output=True,text=True,env={**os.environ,"LINT_EVAL_ROOT":R}).stdout
for l in out.splitlines():
    p=l.split("\t")
    if len(p)==10: rows[p[0]]=p
import glob
for cf in sorted(glob.glob(f"{R}/claimed_*.txt")):
    b=cf.split("_")[-1][:-4]
    names=[l.strip().replace("/","+") for l in open(cf) if l.strip()]
    names=[n for n in names if n in rows]
    t=collections.Counter()
    withf=[];without=[]
    for n in names:
        p=rows[n]
        for k,i in (("fd",2),("ft",3),("ld",4),("lt",5),("dn",6),("dr",7),("tn",8),("tr",9)): t[k]+=int(p[i])
        short=n.split("+")[1]
        (withf if int(p[6]) or int(p[8]) else without).append(short)
    print(f"{b}\t{len(names)}\t{', '.join(withf)} + {len(without)} with no shown finding ({', '.join(without)})\t{t['fd']:,} / {t['ft']:,}\t{t['ld']:,} / {t['lt']:,}\t{t['dn']}\t{t['dr']}\t{t['tn']}\t{t['tr']}")
