#!/bin/bash
# A/B: base jar then new jar, same commands, load recorded around each run.
out=$1
mkdir -p "$out"
for j in base new; do
  { echo "# jar /tmp/masking-$j.jar"; echo "# load before: $(uptime)"; } > "$out/decode-$j.txt"
  java -jar /tmp/masking-$j.jar 'DecodeBinaryBenchmark.(blockbusterFrame|blockbusterMessage|blockbusterFrameLittleEndian|netty)$' -p size=16,1024,65536 -p memory=HEAP,DIRECT -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc >> "$out/decode-$j.txt" 2>&1
  echo "# load after: $(uptime)" >> "$out/decode-$j.txt"
done
for j in base new; do
  { echo "# jar /tmp/masking-$j.jar"; echo "# load before: $(uptime)"; } > "$out/masking-$j.txt"
  java -jar /tmp/masking-$j.jar 'MaskingBenchmark.blockbuster$' -p size=16,1024,65536 -f 1 -wi 3 -w 1s -i 5 -r 1s >> "$out/masking-$j.txt" 2>&1
  echo "# load after: $(uptime)" >> "$out/masking-$j.txt"
done
