#!/bin/bash
# The README's two commands on a truly fresh machine: a minimal Debian 12 (debootstrap
# minbase) with only python3, python3-venv, python3-pip, make and git, as root, nothing else
# installed by hand. Clones the repository inside, runs `make book` and then `make test`, and
# writes their times and output to WORK/check-<date>.log. See CONTRIBUTING.md.
#
#   usage (as root): tools/fresh-debian-check.sh [REPOSITORY] [WORK]
#     REPOSITORY  a git repository to clone (default: this checkout); its HEAD is tested
#     WORK        where the base system and the runs live (default /var/tmp/ketencursus-debian)
#
# The base system is made once (WORK/base) and copied for every run (WORK/run), so each run
# starts from the same untouched Debian. Needs network access (Debian mirror, PyPI, npm).
set -euo pipefail

REPO=$(realpath "${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}")
WORK=$(realpath -m "${2:-/var/tmp/ketencursus-debian}")
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE=$WORK/base
RUN=$WORK/run
LOG=$WORK/check-$(date -u +%Y%m%dT%H%M%SZ).log

if [ "$(id -u)" != 0 ]; then
    echo "Fout: deze controle maakt een chroot en moet als root draaien (sudo $0)." >&2
    exit 2
fi
mkdir -p "$WORK"

if [ ! -e "$BASE/.ketencursus-base" ]; then
    command -v debootstrap >/dev/null || {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    rm -rf "$BASE"
    debootstrap --variant=minbase bookworm "$BASE" "$MIRROR"
    cp /etc/resolv.conf "$BASE/etc/resolv.conf"
    chroot "$BASE" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
        'apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip make git >/dev/null && apt-get clean'
    touch "$BASE/.ketencursus-base"
fi

mounts=()
cleanup() {
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mnt() { mount "$@"; mounts+=("${@: -1}"); }

rm -rf "$RUN" "$WORK/src.git"
# A bare clone on the host (works for a git worktree too), bound read-only into the chroot.
git clone --quiet --bare "$REPO" "$WORK/src.git"
cp -a "$BASE" "$RUN"
cp /etc/resolv.conf "$RUN/etc/resolv.conf"
# The host's network configuration, not the project's: behind a TLS-intercepting proxy the
# machine's own CA certificates (/usr/local/share/ca-certificates) are trusted inside as well,
# and pip and Node are told to use the system bundle (pip's own bundle would not know them).
ca_env=()
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$RUN/usr/local/share/ca-certificates/"
    chroot "$RUN" update-ca-certificates >/dev/null 2>&1
    bundle=/etc/ssl/certs/ca-certificates.crt
    ca_env=(PIP_CERT=$bundle NODE_EXTRA_CA_CERTS=$bundle SSL_CERT_FILE=$bundle
            REQUESTS_CA_BUNDLE=$bundle)
fi
# PYTEST_ADDOPTS passes pytest options through (e.g. --durations=30 to see the slow tests).
for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PYTEST_ADDOPTS; do
    [ -n "${!var:-}" ] && ca_env+=("$var=${!var}")
done
mkdir -p "$RUN/src"
mnt --bind "$WORK/src.git" "$RUN/src"
mnt -o remount,bind,ro "$RUN/src"
mnt -t proc proc "$RUN/proc"
mnt -t sysfs sys "$RUN/sys"
mnt --rbind /dev "$RUN/dev"
mnt -t tmpfs -o mode=1777 shm "$RUN/dev/shm"

echo "Schone Debian 12 in $RUN, repository $REPO ($(git -C "$WORK/src.git" rev-parse --short HEAD)); log: $LOG"
# The commands run as root in the new system. Not a plain chroot: bubblewrap (the grading
# sandbox) cannot create namespaces inside a chroot, so the run gets its own mount namespace
# whose root IS the new system (pivot_root), as on a real machine.
cat > "$RUN/root/fresh-check.sh" <<'INNER'
umount -l /.oldroot 2>/dev/null || true
INNER
cat >> "$RUN/root/fresh-check.sh" <<INNER
${FRESH_CHECK_COMMANDS:-}
INNER
if [ -z "${FRESH_CHECK_COMMANDS:-}" ]; then
    cat >> "$RUN/root/fresh-check.sh" <<'INNER'
set -euo pipefail
git config --global --add safe.directory "*"
git clone --quiet /src /root/ketencursus
cd /root/ketencursus
echo "== nproc: $(nproc); commit $(git rev-parse --short HEAD)"
start=$(date +%s)
make book
book=$(( $(date +%s) - start ))
echo "== make book: ${book} s"
start=$(date +%s)
make test
test=$(( $(date +%s) - start ))
echo "== make test: ${test} s"
echo "== klaar: make book ${book} s, make test ${test} s"
INNER
fi
mkdir -p "$RUN/.oldroot"
unshare --mount --propagation private /bin/bash -c \
    'mount --rbind "$0" "$0" && cd "$0" && pivot_root . .oldroot && exec /usr/bin/env -i "$@" /bin/bash -euo pipefail /root/fresh-check.sh' \
    "$RUN" HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb "${ca_env[@]}" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
echo "== exitcode $status (log: $LOG)"
exit "$status"
