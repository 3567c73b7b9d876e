#!/bin/sh
# Installs kuryr-cni on a node: what the kuryr-agent DaemonSet's init container runs.
#
#   install.sh [--source DIR] [--bin-dir DIR] [--conf-dir DIR] [--app-dir DIR] [--host-app-dir DIR]
#              [--conflist FILE] [--socket PATH] [--dotnet-root DIR] [--keep N]
#
# kuryr-cni is a .NET app (an apphost `kuryr-cni` plus kuryr-cni.dll, its dependencies, *.deps.json
# and *.runtimeconfig.json: whatever `dotnet publish src/Kuryr.Cni` produced, framework-dependent or
# self-contained). It cannot be a single file in /opt/cni/bin, so it is laid out as:
#
#   APP_DIR/<version>/...        the published files, never modified once complete; <version> is a
#                                hash of their content (same files -> same directory, no copy)
#   BIN_DIR/kuryr-cni            a small sh entry point: exec APP_DIR/<version>/kuryr-cni "$@"
#   CONF_DIR/10-kuryr.conflist   the CNI configuration, with the agent socket path substituted
#
# Every file a runtime may read or exec is replaced atomically: written to a temporary file in the
# same directory, fsync'ed, chmod'ed, then renamed over the old one (mv -f = rename(2)). A runtime
# exec'ing kuryr-cni meanwhile runs either the old or the new entry point, never a partial file,
# and never gets ETXTBSY (nothing is opened for writing that anyone executes). The version
# directory is itself built under a temporary name and renamed into place, and the previous
# versions are kept (--keep, default 3) so a call that started on an older entry point finishes.
#
# Idempotent: a second run with the same inputs changes nothing (files are compared first).
# Nothing is touched before every input has been checked.
#
# Options (each also an environment variable; options win):
#   --source DIR        KURYR_CNI_SOURCE      published kuryr-cni  (default /opt/kuryr/cni/app)
#   --bin-dir DIR       CNI_BIN_DIR           CNI plugin directory (default /host/opt/cni/bin)
#   --conf-dir DIR      CNI_CONF_DIR          CNI config directory (default /host/etc/cni/net.d)
#   --app-dir DIR       KURYR_CNI_APP_DIR     where the versions go (default /opt/kuryr-cni)
#   --host-app-dir DIR  KURYR_CNI_HOST_APP_DIR  the app dir as the host sees it, written into the
#                                             entry point (default: --app-dir; the DaemonSet mounts
#                                             the host's /opt/kuryr-cni at the same path)
#   --conflist FILE     KURYR_CNI_CONFLIST    conflist template (default: 10-kuryr.conflist next to
#                                             this script, else /opt/kuryr/cni/10-kuryr.conflist)
#   --socket PATH       KURYR_AGENT_SOCKET    agent socket written into the conflist
#                                             (default /run/kuryr/kuryr-agent.sock)
#   --dotnet-root DIR   KURYR_CNI_DOTNET_ROOT DOTNET_ROOT exported by the entry point (framework-
#                                             dependent builds on hosts whose .NET is not in a
#                                             default location; empty: not exported)
#   --keep N            KURYR_CNI_KEEP        versions kept in APP_DIR, current included (default 3)
#
# Exit codes: 0 installed (or already up to date), 2 bad usage or option value, 3 a missing or
# unusable input (source, kuryr-cni in it, conflist), 4 a write failed (target not writable, ...).

set -eu

log() { printf 'kuryr-cni install: %s\n' "$*" >&2; }
die() { code=$1; shift; log "error: $*"; exit "$code"; }

script_dir=$(cd "$(dirname "$0")" && pwd)
default_conflist=/opt/kuryr/cni/10-kuryr.conflist
[ -f "$script_dir/10-kuryr.conflist" ] && default_conflist=$script_dir/10-kuryr.conflist

source_dir=${KURYR_CNI_SOURCE:-/opt/kuryr/cni/app}
bin_dir=${CNI_BIN_DIR:-/host/opt/cni/bin}
conf_dir=${CNI_CONF_DIR:-/host/etc/cni/net.d}
app_dir=${KURYR_CNI_APP_DIR:-/opt/kuryr-cni}
host_app_dir=${KURYR_CNI_HOST_APP_DIR:-}
conflist=${KURYR_CNI_CONFLIST:-$default_conflist}
socket=${KURYR_AGENT_SOCKET:-/run/kuryr/kuryr-agent.sock}
dotnet_root=${KURYR_CNI_DOTNET_ROOT:-}
keep=${KURYR_CNI_KEEP:-3}

while [ $# -gt 0 ]; do
    case $1 in
        --source|--bin-dir|--conf-dir|--app-dir|--host-app-dir|--conflist|--socket|--dotnet-root|--keep)
            [ $# -ge 2 ] || die 2 "option $1 needs a value"
            case $1 in
                --source) source_dir=$2 ;;
                --bin-dir) bin_dir=$2 ;;
                --conf-dir) conf_dir=$2 ;;
                --app-dir) app_dir=$2 ;;
                --host-app-dir) host_app_dir=$2 ;;
                --conflist) conflist=$2 ;;
                --socket) socket=$2 ;;
                --dotnet-root) dotnet_root=$2 ;;
                --keep) keep=$2 ;;
            esac
            shift 2 ;;
        -h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die 2 "unknown option '$1' (see --help)" ;;
    esac
done
[ -n "$host_app_dir" ] || host_app_dir=$app_dir

# ---- check every input before touching anything -------------------------------------------------
case $keep in ''|*[!0-9]*) die 2 "--keep/KURYR_CNI_KEEP '$keep' is not a whole number >= 1" ;; esac
[ "$keep" -ge 1 ] || die 2 "--keep/KURYR_CNI_KEEP '$keep' is not a whole number >= 1"
for pair in "bin-dir/CNI_BIN_DIR=$bin_dir" "conf-dir/CNI_CONF_DIR=$conf_dir" "app-dir/KURYR_CNI_APP_DIR=$app_dir" "host-app-dir/KURYR_CNI_HOST_APP_DIR=$host_app_dir"; do
    name=${pair%%=*}; value=${pair#*=}
    case $value in /*) ;; *) die 2 "--$name '$value' is not an absolute path" ;; esac
    case $value in *"'"*|*'
'*) die 2 "--$name '$value' contains a quote or a newline" ;; esac
done
case $socket in
    /*) ;;
    *) die 2 "--socket/KURYR_AGENT_SOCKET '$socket' is not an absolute path" ;;
esac
case $socket in *'"'*|*'\'*|*'|'*|*'
'*) die 2 "--socket/KURYR_AGENT_SOCKET '$socket' contains a character not allowed in a socket path here (\" \\ | newline)" ;; esac
if [ -n "$dotnet_root" ]; then
    case $dotnet_root in /*) ;; *) die 2 "--dotnet-root/KURYR_CNI_DOTNET_ROOT '$dotnet_root' is not an absolute path" ;; esac
    case $dotnet_root in *"'"*|*'
'*) die 2 "--dotnet-root/KURYR_CNI_DOTNET_ROOT '$dotnet_root' contains a quote or a newline" ;; esac
fi

[ -d "$source_dir" ] || die 3 "source directory --source/KURYR_CNI_SOURCE '$source_dir' does not exist (the published kuryr-cni: dotnet publish src/Kuryr.Cni -o DIR)"
[ -f "$source_dir/kuryr-cni" ] || die 3 "source directory '$source_dir' has no 'kuryr-cni' (the apphost of dotnet publish src/Kuryr.Cni)"
[ -x "$source_dir/kuryr-cni" ] || die 3 "'$source_dir/kuryr-cni' is not executable"
[ -f "$source_dir/kuryr-cni.dll" ] || die 3 "source directory '$source_dir' has no 'kuryr-cni.dll' (not a dotnet publish output of src/Kuryr.Cni)"
[ -f "$conflist" ] || die 3 "conflist --conflist/KURYR_CNI_CONFLIST '$conflist' does not exist"
grep -q '"type"[[:space:]]*:[[:space:]]*"kuryr-cni"' "$conflist" || die 3 "conflist '$conflist' has no plugin of type \"kuryr-cni\""
grep -q '"socket"[[:space:]]*:[[:space:]]*"[^"]*"' "$conflist" || die 3 "conflist '$conflist' has no \"socket\" key to substitute"

for dir in "$bin_dir" "$conf_dir"; do
    [ -d "$dir" ] || mkdir -p "$dir" 2>/dev/null || die 4 "cannot create directory '$dir'"
    [ -w "$dir" ] || die 4 "directory '$dir' is not writable"
done
mkdir -p "$app_dir" 2>/dev/null || die 4 "cannot create directory '$app_dir'"
[ -w "$app_dir" ] || die 4 "directory '$app_dir' is not writable"

# ---- temporary files are removed whatever happens ----------------------------------------------
tmp_files=
cleanup() { for f in $tmp_files; do rm -rf "$f"; done; }
trap cleanup EXIT
trap 'exit 4' HUP INT TERM

# write_atomically TARGET MODE: stdin -> TARGET via a temp file in TARGET's directory (fsync, chmod,
# rename). Leaves TARGET alone when its content and mode are already those.
write_atomically() {
    target=$1 mode=$2
    tmp=$(dirname "$target")/.$(basename "$target").tmp.$$
    tmp_files="$tmp_files $tmp"
    cat > "$tmp" || die 4 "cannot write '$tmp'"
    if [ -f "$target" ] && cmp -s "$tmp" "$target" && [ "$(stat -c %a "$target")" = "$mode" ]; then
        rm -f "$tmp"
        log "$target is up to date"
        return 0
    fi
    sync -- "$tmp" || die 4 "cannot fsync '$tmp'"
    chmod "$mode" "$tmp" || die 4 "cannot chmod '$tmp'"
    mv -f -- "$tmp" "$target" || die 4 "cannot rename '$tmp' to '$target'"
    sync -- "$(dirname "$target")" 2>/dev/null || true
    log "installed $target"
}

# ---- 1. the app: APP_DIR/<content hash>/ ------------------------------------------------------
version=$(cd "$source_dir" && find . -type f -print | LC_ALL=C sort | while IFS= read -r f; do
    printf '%s %s\n' "$(sha256sum < "$f" | cut -c1-64)" "$f"; done | sha256sum | cut -c1-16)
[ -n "$version" ] || die 3 "cannot hash '$source_dir'"
version_dir=$app_dir/$version
if [ -f "$version_dir/.kuryr-complete" ]; then
    log "$version_dir is up to date"
else
    staging=$app_dir/.staging.$version.$$
    tmp_files="$tmp_files $staging"
    rm -rf "$staging"
    cp -R -- "$source_dir" "$staging" || die 4 "cannot copy '$source_dir' to '$staging'"
    chmod -R u+rwX,go+rX,go-w "$staging" && chmod 0755 "$staging/kuryr-cni" || die 4 "cannot chmod '$staging'"
    : > "$staging/.kuryr-complete"
    find "$staging" -exec sync -- {} + 2>/dev/null || sync
    # A directory left by an interrupted older installer without the marker is replaced.
    [ -e "$version_dir" ] && ! [ -f "$version_dir/.kuryr-complete" ] && rm -rf "$version_dir"
    if ! mv -T -- "$staging" "$version_dir" 2>/dev/null; then
        # Another installer renamed the same version into place first: theirs is identical.
        [ -f "$version_dir/.kuryr-complete" ] || die 4 "cannot rename '$staging' to '$version_dir'"
    fi
    log "installed $version_dir"
fi
touch -- "$version_dir" 2>/dev/null || true   # mtime = last installed, for pruning

# ---- 2. the entry point in the CNI bin dir -----------------------------------------------------
{
    printf '#!/bin/sh\n'
    printf '# kuryr-cni entry point written by kuryr install.sh; the app is %s (version %s).\n' "$host_app_dir/$version" "$version"
    if [ -n "$dotnet_root" ]; then printf "export DOTNET_ROOT='%s'\n" "$dotnet_root"; fi
    printf "exec '%s/%s/kuryr-cni' \"\$@\"\n" "$host_app_dir" "$version"
} | write_atomically "$bin_dir/kuryr-cni" 755

# ---- 3. the conflist ---------------------------------------------------------------------------
sed "s|\"socket\"\([[:space:]]*\):\([[:space:]]*\)\"[^\"]*\"|\"socket\"\1:\2\"$socket\"|" "$conflist" \
    | write_atomically "$conf_dir/$(basename "$conflist")" 644

# ---- 4. prune versions beyond --keep (oldest first; never the current one) ---------------------
# shellcheck disable=SC2012 # names are hex hashes
ls -1t "$app_dir" 2>/dev/null | while IFS= read -r v; do
    case $v in .*) continue ;; esac
    [ -f "$app_dir/$v/.kuryr-complete" ] || continue
    [ "$v" = "$version" ] && continue
    printf '%s\n' "$v"
done | tail -n +"$keep" | while IFS= read -r old; do
    rm -rf -- "${app_dir:?}/$old" && log "removed old version $app_dir/$old"
done

log "kuryr-cni $version installed: $bin_dir/kuryr-cni, $conf_dir/$(basename "$conflist") (socket $socket)"
exit 0
