#!/usr/bin/env bash
# Makes a local base image for the Jib build where no registry can be reached: a Debian bookworm root file system
# (debootstrap, minbase) with Debian's openjdk-17-jre-headless, packed as a one-layer `docker save` archive, which
# Jib takes as <from><image>tar:///path/base.tar</image></from> (Jib reads Docker-format archives, not OCI ones).
#
#   deploy/image/local-base.sh [OUTPUT.tar]      default: .dev/image/debian-bookworm-jre17.tar
#
# Needs root (debootstrap, chroot) and Debian's mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian).
# Cached: an existing OUTPUT is kept (REBUILD=1 makes it anew). Prints the archive's path on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$ROOT/.dev/image/debian-bookworm-jre17.tar}
SUITE=${DEBIAN_SUITE:-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
APP_UID=${APP_UID:-10001}

if [[ -s "$OUT" && -z "${REBUILD:-}" ]]; then
  echo "$OUT"
  exit 0
fi
[[ $(id -u) -eq 0 ]] || { echo "local-base: debootstrap needs root" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null \
    || { echo "local-base: debootstrap is missing and could not be installed (apt-get install debootstrap)" >&2; exit 1; }
fi

mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d "$(dirname "$OUT")/.base.XXXXXX")
cleanup() {
  for m in proc sys dev/pts dev; do mountpoint -q "$WORK/rootfs/$m" 2>/dev/null && umount -l "$WORK/rootfs/$m"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ROOTFS="$WORK/rootfs"
echo "local-base: debootstrap $SUITE (minbase + openjdk-17-jre-headless) from $MIRROR ..." >&2
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates "$SUITE" "$ROOTFS" "$MIRROR" >&2

# The run-time user (the images run as $APP_UID; a passwd entry gives Java a user.home) and a smaller tree.
chroot "$ROOTFS" /usr/sbin/groupadd --system --gid "$APP_UID" runway
chroot "$ROOTFS" /usr/sbin/useradd --system --uid "$APP_UID" --gid "$APP_UID" --home-dir /app --no-create-home \
  --shell /usr/sbin/nologin runway
chroot "$ROOTFS" apt-get clean
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/log/* "$ROOTFS"/tmp/* \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/*
java_bin=$(readlink -f "$ROOTFS/usr/bin/java")
java_home=${java_bin%/bin/java}
java_home=${java_home#"$ROOTFS"}

# One layer: the whole tree, numeric owners, fixed times (the same tree gives the same layer digest).
PACK="$WORK/pack"
mkdir -p "$PACK"
tar --numeric-owner --sort=name --mtime='2024-01-01 00:00:00' -C "$ROOTFS" -cf "$PACK/layer.tar" .
diff_id=$(sha256sum "$PACK/layer.tar" | cut -d' ' -f1)
created=2024-01-01T00:00:00Z
cat > "$PACK/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "Cmd":["/bin/bash"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/image/local-base.sh: debootstrap $SUITE minbase + openjdk-17-jre-headless"}]}
JSON
config_id=$(sha256sum "$PACK/config.json" | cut -d' ' -f1)
mv "$PACK/config.json" "$PACK/$config_id.json"
mkdir "$PACK/$diff_id"
mv "$PACK/layer.tar" "$PACK/$diff_id/layer.tar"
cat > "$PACK/manifest.json" <<JSON
[{"Config":"$config_id.json","RepoTags":["runway/base-local:bookworm-jre17"],"Layers":["$diff_id/layer.tar"]}]
JSON
tar --numeric-owner -C "$PACK" -cf "$OUT.tmp" manifest.json "$config_id.json" "$diff_id"
mv "$OUT.tmp" "$OUT"
echo "local-base: $(du -h "$OUT" | cut -f1) image archive ($java_home)" >&2
echo "$OUT"
