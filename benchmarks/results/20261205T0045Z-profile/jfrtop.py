import sys, re, subprocess, collections
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(['jfr','print','--events','jdk.ExecutionSample','--stack-depth','64',f],capture_output=True,text=True).stdout
samples = out.split('jdk.ExecutionSample')
self_c = collections.Counter(); incl = collections.Counter(); threads = collections.Counter(); total=0
for s in samples[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', s)
    th = m.group(1) if m else '?'
    th = re.sub(r'\d+','N',th)
    frames = re.findall(r'^\s+([\w$.<>/]+\.[\w$<>]+)\(', s, re.M)
    if not frames: continue
    total += 1; threads[th]+=1
    self_c[frames[0]] += 1
    for fr in set(frames): incl[fr] += 1
print('samples', total)
print('-- threads'); [print(f'{c*100/total:5.1f}% {t}') for t,c in threads.most_common(8)]
print('-- self'); [print(f'{c*100/total:5.1f}% {t}') for t,c in self_c.most_common(n)]
print('-- inclusive (io.blockbuster, sun.nio, java.util.concurrent)')
k=0
for t,c in incl.most_common(400):
    if t.startswith(('io.blockbuster','sun.nio','java.util.concurrent','java.lang.invoke')) :
        print(f'{c*100/total:5.1f}% {t}'); k+=1
        if k>=n+15: break
