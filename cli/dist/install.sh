#!/bin/sh
# Installs c1 @VERSION@ for this machine (Linux or macOS, x86_64 or arm64):
# downloads the release's archive for it, checks its SHA-256 against the
# release's checksum file, and puts `c1` in ~/.local/bin.
#
#   C1_INSTALL_DIR   where to put c1 (default: ~/.local/bin)
#   C1_DOWNLOAD_URL  where the archives are: a URL, or a local folder
#                    (default: @DOWNLOAD_URL@)
#
# Written by `cargo xtask dist` from cli/dist/install.sh.
set -eu

version="@VERSION@"
base="${C1_DOWNLOAD_URL:-@DOWNLOAD_URL@}"
base="${base%/}"
dir="${C1_INSTALL_DIR:-${HOME:?HOME is not set: set C1_INSTALL_DIR}/.local/bin}"

say() { printf 'c1 installer: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

case "$(uname -s)" in
  Linux) os="unknown-linux-gnu" ;;
  Darwin) os="apple-darwin" ;;
  *) fail "no c1 for $(uname -s): on Windows, unzip the release's .zip or run \`npx c1-cli\`" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) cpu="x86_64" ;;
  aarch64 | arm64) cpu="aarch64" ;;
  *) fail "no c1 for the $(uname -m) processor" ;;
esac
# A shell translated by Rosetta says x86_64 on an Apple processor.
if [ "$os" = "apple-darwin" ] && [ "$cpu" = "x86_64" ] &&
  [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = "1" ]; then
  cpu="aarch64"
fi
stem="c1-$version-$cpu-$os"
archive="$stem.tar.gz"

work="$(mktemp -d 2>/dev/null || mktemp -d -t c1-install)"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# fetch NAME: copies $base/NAME into the work folder.
fetch() {
  case "$base" in
    http://* | https://*)
      if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,http' -fsSL --retry 3 -o "$work/$1" "$base/$1" ||
          fail "cannot download $base/$1"
      elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$work/$1" "$base/$1" || fail "cannot download $base/$1"
      else
        fail "neither curl nor wget is installed"
      fi
      ;;
    file://*) cp "${base#file://}/$1" "$work/$1" || fail "no $1 in ${base#file://}" ;;
    *) cp "$base/$1" "$work/$1" || fail "no $1 in $base" ;;
  esac
}

say "downloading $archive from $base"
fetch "$archive"
fetch "$archive.sha256"

expected="$(cut -d ' ' -f 1 <"$work/$archive.sha256")"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$work/$archive" | cut -d ' ' -f 1)"
elif command -v shasum >/dev/null 2>&1; then
  actual="$(shasum -a 256 "$work/$archive" | cut -d ' ' -f 1)"
else
  fail "cannot check the download: neither sha256sum nor shasum is installed"
fi
[ -n "$expected" ] && [ "$expected" = "$actual" ] ||
  fail "$archive does not match its checksum (expected ${expected:-nothing}, got $actual): not installed"

tar -xzf "$work/$archive" -C "$work" || fail "cannot unpack $archive"
[ -f "$work/$stem/c1" ] || fail "$archive holds no $stem/c1"
# A binary this machine cannot run (an older C library) is not installed.
installed="$("$work/$stem/c1" --version)" ||
  fail "c1 does not run on this machine (on Linux, its C library may be older than the one c1 was built with): not installed"
mkdir -p "$dir" || fail "cannot create $dir"
# Through a temporary file and a rename: a running c1 keeps its file, and
# an interrupted install leaves the old c1 whole.
cp "$work/$stem/c1" "$dir/.c1.install.$$" || fail "cannot write to $dir"
chmod 755 "$dir/.c1.install.$$"
mv -f "$dir/.c1.install.$$" "$dir/c1" || { rm -f "$dir/.c1.install.$$"; fail "cannot write $dir/c1"; }

say "installed $installed as $dir/c1"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *) say "$dir is not on your PATH: add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
say "shell completions are in the archive ($stem/complete/); agents: c1 mcp install --help"
