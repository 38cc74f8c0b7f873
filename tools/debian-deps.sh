#!/bin/sh
# Debian packages the Makefile needs, read from the lists given as arguments (one package a
# line, '#' starts a comment). Run by `make book` / `make test` before anything else:
#   as root:  installs the missing ones (one `apt-get update`, noninteractive);
#   otherwise: prints ONE Dutch line naming exactly the missing packages and exits 1, so make
#              stops before doing any other work.
set -eu

# A line is "package" or "package command": the package counts as present when dpkg has it
# installed or, with a command given, when that command is on PATH (Node from NodeSource, for
# example, brings its own npm, which conflicts with Debian's npm package).
entries=$(sed -e 's/#.*//' "$@" | awk 'NF { print $1 ":" ($2 == "" ? "-" : $2) }' | sort -u)
[ -n "$entries" ] || exit 0

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "Let op: geen Debian-systeem; zorg zelf voor het equivalent van:" \
        $(echo "$entries" | cut -d: -f1 | sort -u) >&2
    exit 0
fi

missing=""
for entry in $entries; do
    p=${entry%%:*}
    cmd=${entry#*:}
    if [ "$cmd" != "-" ] && command -v "$cmd" >/dev/null 2>&1; then
        continue
    fi
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    case "$status" in
        ii*) ;;
        *) case " $missing " in *" $p "*) ;; *) missing="$missing $p" ;; esac ;;
    esac
done
missing=${missing# }
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != "0" ]; then
    echo "Fout: deze Debian-pakketten ontbreken; installeer ze eerst (als root: apt-get install $missing) en start dit commando opnieuw." >&2
    exit 1
fi

echo "Debian-pakketten installeren: $missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # one word per package
apt-get install -y -qq --no-install-recommends $missing >/dev/null
