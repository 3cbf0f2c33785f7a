#!/usr/bin/env bash
# Builds the library modules twice, in two copies of the source tree at different paths, and
# fails unless every jar (classes, sources, Javadoc) and SBOM comes out byte-identical.
# Online mode: the SBOM plugin refuses to run offline (it fetches nothing once the build before it has).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
if [ -z "${KEEP_REPRODUCIBLE_BUILDS:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "builds kept in $work"; fi
# One snapshot of the sources, copied, so that both builds see the same files.
mkdir -p "$work/a"
tar --exclude=./.git --exclude='*/target' --exclude=node_modules -cf - . | tar -xf - -C "$work/a"
cp -a "$work/a" "$work/b"
for copy in a b; do
    (cd "$work/$copy" && mvn -B -ntp -q -Dmaven.test.skip=true -pl websocket-core,stream-api -am package)
done
status=0
for module in websocket-core stream-api; do
    for f in "$work/a/$module/target/"*.jar "$work/a/$module/target/"*.json "$work/a/$module/target/"*.xml; do
        name=${f#"$work/a/"}
        a=$(sha256sum < "$f" | cut -d' ' -f1)
        b=$(sha256sum < "$work/b/$name" | cut -d' ' -f1)
        if [ "$a" = "$b" ]; then echo "reproducible: $name $a"; else echo "DIFFERS: $name $a != $b"; status=1; fi
    done
done
exit $status
