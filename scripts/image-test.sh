#!/usr/bin/env bash
# image-test.sh: build the container image from the real Dockerfile with buildah and
# run it from its root file system as a container would, without a Docker engine and
# without pulling any image.
#
#   scripts/image-test.sh [CONTEXT]      (as root; CONTEXT defaults to the repository)
#
# Steps, each timed and bounded:
#   1. install buildah and busybox-static from Debian when missing;
#   2. make a local Go builder image from this machine's toolchain (/usr/local/go,
#      statically linked), busybox-static as /bin/sh, the host's CA bundle and a module
#      cache pre-seeded with what the build needs (GOPROXY=off inside: the build is
#      offline);
#   3. buildah bud the Dockerfile with --build-arg GO_IMAGE=<that builder>;
#   4. check the image config (user, ports, volume, health check, labels) and its size;
#   5. run ENTRYPOINT+CMD from a working container's root file system with
#      unshare --root, as the image's user, in a network namespace of its own (so the
#      container's 0.0.0.0:8080 is reachable only from inside that namespace);
#      wait for health, run the image's HEALTHCHECK command, make a Converse call
#      with boto3 (skipped, with a message, when boto3 is missing);
#   6. stop it with SIGTERM and require exit 0; the health command must then fail.
# Everything it made (storage, containers, images, namespace, processes) is removed
# on every exit path.
#
# Environment:
#   IMAGE_TEST_MODEL     model ID for the Converse call
#                        (default anthropic.claude-3-sonnet-20240229-v1:0)
#   IMAGE_TEST_MAX_BYTES largest uncompressed image size accepted (default 20 MB)
#   IMAGE_TEST_TMPDIR    where the scratch storage goes (default /var/tmp)
#   IMAGE_TEST_KEEP=1    keep the scratch directory (buildah storage) for a look
#   VERSION, REVISION    passed to the build (default: from git, else "dev")
set -Eeuo pipefail
shopt -s inherit_errexit

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ctx=$(cd "${1:-$script_dir/..}" && pwd)
model=${IMAGE_TEST_MODEL:-anthropic.claude-3-sonnet-20240229-v1:0}
max_bytes=${IMAGE_TEST_MAX_BYTES:-20000000}
goroot=/usr/local/go
image=localhost/bedrock-emulator:test
builder=localhost/bedrock-emulator-builder:test

say() { printf 'image-test: %s\n' "$*"; }
die() { printf 'image-test: FAIL: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "run as root (buildah storage, chroot and network namespaces need it)"
[[ -f $ctx/Dockerfile ]] || die "no Dockerfile in $ctx"

# ---- timing -------------------------------------------------------------------
t_start=$EPOCHREALTIME
timings=()
now() { printf '%s' "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
# step NAME COMMAND...: run COMMAND, print and record how long it took. COMMAND is
# not run in a || or if context, so errexit stays in force inside it; a failing
# step ends the script and cleanup records it. COMMAND sets skipped=1 to say that
# it checked nothing.
cur_step=""
cur_t0=""
skipped=0
n_passed=0
n_skipped=0
step() {
	local note=""
	cur_step=$1
	shift
	say "==> $cur_step"
	cur_t0=$(now)
	skipped=0
	"$@"
	if ((skipped)); then n_skipped=$((n_skipped + 1)); note="  skipped"; else n_passed=$((n_passed + 1)); fi
	timings+=("$(printf '%-28s %7ss%s' "$cur_step" "$(since "$cur_t0")" "$note")")
	say "<== $cur_step: $(since "$cur_t0")s"
	cur_step=""
}
print_timings() {
	[[ -z $cur_step ]] || timings+=("$(printf '%-28s %7ss  FAILED' "$cur_step" "$(since "$cur_t0")")")
	((${#timings[@]})) || return 0
	say "timings:"
	printf '    %s\n' "${timings[@]}"
	printf '    %-28s %7ss\n' "total" "$(since "$t_start")"
}

# ---- cleanup ------------------------------------------------------------------
work=""
netns=""
server_pid=""
storage=(--storage-driver vfs)
# bah ARGS...: buildah on this run's private storage, killed after bah_timeout seconds.
bah_timeout=300
bah() { timeout --kill-after=10 "$bah_timeout" buildah "${storage[@]}" "$@"; }
# bounded SECONDS COMMAND...: run COMMAND under timeout, in the background, and
# wait for it: a signal to this script then interrupts the wait at once, and
# cleanup stops COMMAND (timeout passes the signal on to COMMAND's process group).
fg_pid=""
bounded() {
	local secs=$1 rc=0
	shift
	timeout --kill-after=10 "$secs" "$@" &
	fg_pid=$!
	wait "$fg_pid" || rc=$?
	fg_pid=""
	return "$rc"
}
# stop_pid PID: SIGTERM, up to 5 seconds' grace, then SIGKILL; reap it.
stop_pid() {
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null
	for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
exec 3>&1 4>&2 # the script's own stdout and stderr, for cleanup
cleanup() {
	local rc=$?
	set +e
	trap - ERR
	exec 1>&3 2>&4 # out of any redirection the interrupted command had
	[[ -n $fg_pid ]] && stop_pid "$fg_pid"
	[[ -n $server_pid ]] && stop_pid "$server_pid"
	[[ -n $netns ]] && ip netns del "$netns" 2>/dev/null
	if [[ -n $work && -d $work ]]; then
		bah_timeout=60
		bah umount --all >/dev/null 2>&1
		if [[ ${IMAGE_TEST_KEEP:-} == 1 ]]; then
			say "kept $work (look with: buildah ${storage[*]} images)"
		else
			bah rm --all >/dev/null 2>&1
			# Never recurse into something still mounted there (a RUN step's /dev or
			# /proc if buildah was killed mid-step): unmount it first.
			findmnt -rn -o TARGET | grep -F "$work/" | sort -r | xargs -r -n1 umount -l
			rm -rf --one-file-system "$work"
		fi
	fi
	print_timings
	((rc == 0)) || say "FAIL (exit $rc)"
	# The closing line in the form CI counts: each step is one check.
	say "$n_passed passed, $((rc != 0)) failed, $n_skipped skipped"
	exit "$rc"
}
trap cleanup EXIT
trap 'say "line $LINENO: exit $? from: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# Private buildah storage: nothing of the machine's own is touched, and removing the
# directory removes every layer, image and container this run made.
work=$(mktemp -d "${IMAGE_TEST_TMPDIR:-/var/tmp}/image-test.XXXXXX")
storage+=(--root "$work/storage" --runroot "$work/run")

# ---- 1. tools -----------------------------------------------------------------
install_tools() {
	local missing=()
	command -v buildah >/dev/null || missing+=(buildah)
	is_static /bin/busybox || missing+=(busybox-static)
	if ((${#missing[@]} == 0)); then
		say "buildah and busybox-static already installed"
	else
		say "installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		bounded 600 apt-get update -qq
		bounded 600 apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}" >/dev/null
	fi
	for t in buildah ip unshare timeout; do command -v "$t" >/dev/null || die "missing $t"; done
	[[ -x $goroot/bin/go ]] || die "no Go toolchain at $goroot"
	is_static "$goroot/bin/go" || die "$goroot/bin/go is not statically linked"
	say "$(buildah --version); $("$goroot/bin/go" version); $(/bin/busybox | head -1)"
}
# is_static FILE: FILE is an executable that needs no dynamic loader, so it runs in
# an image that has nothing else.
is_static() {
	local out
	[[ -x $1 ]] || return 1
	out=$(LC_ALL=C ldd "$1" 2>&1 || true)
	[[ $out == *"not a dynamic executable"* ]]
}

# ---- 2. builder image ---------------------------------------------------------
make_builder() {
	local seed=$work/gomodcache host_cache proxy ctr mnt
	# Pre-seed a module cache with what the build needs, from the host's own cache
	# where it has them, else through the module proxy. Inside the builder the build
	# then runs with GOPROXY=off.
	host_cache=$("$goroot/bin/go" env GOMODCACHE)
	proxy=$("$goroot/bin/go" env GOPROXY)
	[[ -d $host_cache/cache/download ]] && proxy="file://$host_cache/cache/download,$proxy"
	local goenv=(env -C "$ctx" GOMODCACHE="$seed" GOPROXY="$proxy" GOFLAGS=-mod=readonly GOTOOLCHAIN=local)
	bounded 300 "${goenv[@]}" "$goroot/bin/go" mod download
	bounded 300 "${goenv[@]}" "$goroot/bin/go" list -deps ./cmd/bedrock-emulator >/dev/null
	mkdir -p "$seed"
	say "module cache seed: $(du -sh "$seed" | cut -f1)"

	ctr=$(bah from --name image-test-builder scratch)
	mnt=$(bah mount "$ctr")
	mkdir -p "$mnt"/{bin,etc/ssl/certs,usr/local,go/pkg/mod,root,tmp}
	chmod 1777 "$mnt/tmp"
	# The toolchain without what building does not need (tests, API lists, docs).
	tar -C "$(dirname "$goroot")" -cf - \
		--exclude=go/test --exclude=go/api --exclude=go/doc --exclude=go/misc \
		--exclude=go/lib/wasm --exclude=testdata "$(basename "$goroot")" |
		tar -C "$mnt/usr/local" -xf -
	cp /bin/busybox "$mnt/bin/busybox"
	local applet
	for applet in $(/bin/busybox --list); do
		[[ -e $mnt/bin/$applet ]] || ln -s busybox "$mnt/bin/$applet"
	done
	cp -L /etc/ssl/certs/ca-certificates.crt "$mnt/etc/ssl/certs/ca-certificates.crt"
	cp -a "$seed/." "$mnt/go/pkg/mod/"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$mnt/etc/passwd"
	printf 'root:x:0:\n' >"$mnt/etc/group"
	bah umount "$ctr" >/dev/null
	bah config \
		--env PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		--env GOPATH=/go --env GOTOOLCHAIN=local --env GOPROXY=off --env GOSUMDB=off \
		--workingdir /go --cmd /bin/sh "$ctr"
	bah commit --quiet --rm "$ctr" "$builder" >/dev/null
	say "builder image: $(bah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$builder")"
}

# ---- 3. build -----------------------------------------------------------------
version=""
build_image() {
	local revision
	version=${VERSION:-$(git -C "$ctx" describe --tags --always --dirty 2>/dev/null || echo dev)}
	revision=${REVISION:-$(git -C "$ctx" rev-parse HEAD 2>/dev/null || true)}
	say "VERSION=$version REVISION=$revision"
	# --format docker keeps HEALTHCHECK (the OCI image config has no field for it).
	bounded 1500 buildah "${storage[@]}" bud \
		--isolation chroot --format docker --pull-never \
		--build-arg GO_IMAGE="$builder" \
		--build-arg VERSION="$version" --build-arg REVISION="$revision" \
		-f "$ctx/Dockerfile" -t "$image" "$ctx" > >(stamp) 2>&1
	wait "$!" # for stamp to print the last lines
}
# stamp: prefix each line with the seconds since the step started.
stamp() {
	local line t0=${EPOCHREALTIME/./} ms
	while IFS= read -r line; do
		ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
		printf '[%3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$line"
	done
}

# ---- 4. image config and size -------------------------------------------------
# cfg TEMPLATE: the image's Docker config through a Go template.
cfg() { bah inspect --type image --format "$1" "$image"; }
# shellcheck disable=SC2016 # Go templates, not shell expansions
check_image() {
	local user ports vols hc labels
	user=$(cfg '{{.Docker.Config.User}}')
	ports=$(cfg '{{range $k, $v := .Docker.Config.ExposedPorts}}{{$k}} {{end}}')
	vols=$(cfg '{{range $k, $v := .Docker.Config.Volumes}}{{$k}} {{end}}')
	hc=$(cfg '{{if .Docker.Config.Healthcheck}}{{range .Docker.Config.Healthcheck.Test}}{{.}} {{end}}{{end}}')
	labels=$(cfg '{{range $k, $v := .Docker.Config.Labels}}{{$k}}={{$v}}{{println}}{{end}}')
	say "user: $user; exposed: $ports; volumes: $vols; healthcheck: $hc"
	say "entrypoint: $(cfg '{{.Docker.Config.Entrypoint}}') cmd: $(cfg '{{.Docker.Config.Cmd}}') workdir: $(cfg '{{.Docker.Config.WorkingDir}}')"
	printf '    %s\n' "${labels//$'\n'/$'\n'    }"
	[[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || die "image user '$user' is not a numeric non-root UID"
	[[ " $ports" == *" 8080/tcp "* ]] || die "8080/tcp not exposed"
	[[ " $vols" == *" /data "* ]] || die "/data is not a volume"
	[[ $hc == "CMD /bedrock-emulator health "* ]] || die "unexpected HEALTHCHECK: '$hc'"
	grep -q '^org.opencontainers.image.version=.' <<<"$labels" || die "no OCI version label"

	local layers size pull
	layers=$(cfg '{{len .Docker.RootFS.DiffIDs}}')
	# Layers as tar (what `docker images` counts) and gzipped (about what a pull fetches).
	bah push --quiet --disable-compression "$image" "oci:$work/oci:test" >/dev/null
	size=$(oci_layer_bytes "$work/oci" "gzip -dcf")
	pull=$(oci_layer_bytes "$work/oci" "gzip -dcf | gzip -6c")
	say "image size: $size bytes uncompressed ($(mb "$size") MB), $pull bytes compressed layers ($(mb "$pull") MB), $layers layers"
	((size < max_bytes)) || die "image is $size bytes, over the $max_bytes limit"
}
mb() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
# oci_layer_bytes DIR FILTER: the sum of the sizes of the image's layer blobs in the
# OCI layout DIR, each piped through FILTER.
oci_layer_bytes() {
	local dir=$1 filter=$2 manifest digest total=0 n
	manifest=$(tr -d ' \n' <"$dir/index.json" | grep -o '"digest":"sha256:[0-9a-f]*"' | head -1 | cut -d: -f3 | tr -d '"')
	for digest in $(tr -d ' \n' <"$dir/blobs/sha256/$manifest" | sed 's/.*"layers":\[//' |
		grep -o '"digest":"sha256:[0-9a-f]*"' | cut -d: -f3 | tr -d '"'); do
		n=$(eval "$filter" <"$dir/blobs/sha256/$digest" | wc -c)
		total=$((total + n))
	done
	echo "$total"
}

# ---- 5. run it ----------------------------------------------------------------
rootfs=""
run_env=()
run_user=""
run_wd=/
# container_argv ARGV...: set cargv to the host command that runs ARGV (a path
# inside the image) the way a container runtime would: image root, working
# directory, user and environment, inside the test's network namespace. Each link
# (env, ip netns exec, unshare) execs the next, so a background "${cargv[@]}" &
# leaves $! as ARGV's own process.
cargv=()
container_argv() {
	local uid=${run_user%%:*} gid=${run_user#*:}
	[[ $run_user == *:* ]] || gid=$uid
	cargv=(env -i "${run_env[@]}" ip netns exec "$netns"
		unshare --root="$rootfs" --wd="$run_wd" --setgid "$gid" --setuid "$uid" -- "$@")
}
# in_container SECONDS ARGV...: run ARGV as above, killed after SECONDS.
in_container() {
	local secs=$1
	shift
	container_argv "$@"
	timeout --kill-after=2 "$secs" "${cargv[@]}"
}

prepare_run() {
	local ctr line
	ctr=$(bah from --name image-test-run "$image")
	rootfs=$(bah mount "$ctr")
	run_user=$(cfg '{{.Docker.Config.User}}')
	run_wd=$(cfg '{{.Docker.Config.WorkingDir}}')
	run_wd=${run_wd:-/}
	run_env=()
	while IFS= read -r line; do [[ -n $line ]] && run_env+=("$line"); done \
		< <(cfg '{{range .Docker.Config.Env}}{{println .}}{{end}}')
	# What a runtime adds: a PATH when the image has none, HOSTNAME, HOME from the user.
	[[ " ${run_env[*]}" == *" PATH="* ]] || run_env+=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
	run_env+=(HOSTNAME=image-test HOME=/)
	say "root file system: $rootfs ($(du -sh "$rootfs" | cut -f1)); /data owner $(stat -c %u:%g "$rootfs/data")"
	[[ $(stat -c %u:%g "$rootfs/data") == "$run_user" || $(stat -c %u "$rootfs/data") == "${run_user%%:*}" ]] ||
		die "/data is not owned by the image user $run_user"
	[[ -f $rootfs/etc/ssl/certs/ca-certificates.crt ]] || die "no CA certificates in the image"
	[[ -d $rootfs/fixtures/examples ]] || die "no /fixtures/examples in the image"
	[[ $(stat -c %a "$rootfs/tmp") == 1777 ]] || die "/tmp is not mode 1777"
	netns=image-test-$$
	ip netns add "$netns"
	ip -n "$netns" link set lo up
}

health_cmd=()
start_server() {
	local argv=() line t0 url=""
	while IFS= read -r line; do argv+=("$line"); done \
		< <(cfg '{{range .Docker.Config.Entrypoint}}{{println .}}{{end}}{{range .Docker.Config.Cmd}}{{println .}}{{end}}')
	health_cmd=()
	while IFS= read -r line; do health_cmd+=("$line"); done \
		< <(cfg '{{range .Docker.Config.Healthcheck.Test}}{{println .}}{{end}}')
	[[ ${health_cmd[0]} == CMD ]] || die "HEALTHCHECK is not in exec form: ${health_cmd[*]}"
	health_cmd=("${health_cmd[@]:1}")
	say "as $run_user in $run_wd: ${argv[*]}"
	t0=$(now)
	container_argv "${argv[@]}"
	"${cargv[@]}" >"$work/server.log" 2>&1 &
	server_pid=$!
	local deadline=$((SECONDS + 15)) ready=""
	while ((SECONDS < deadline)); do
		kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited during start"; }
		if [[ -z $url ]] && grep -q 'http://' "$work/server.log"; then
			url=$(grep -o 'http://[^ ]*' "$work/server.log" | head -1)
			say "URL printed after $(since "$t0")s: $url"
		fi
		if in_container 5 "${health_cmd[@]}" >/dev/null 2>&1; then ready=1; break; fi
		sleep 0.02
	done
	[[ -n $ready ]] || { cat "$work/server.log" >&2; die "not healthy within 15s"; }
	say "healthy after $(since "$t0")s (first HEALTHCHECK command that passed)"
	[[ -n $url ]] || say "URL printed: $(grep -o 'http://[^ ]*' "$work/server.log" | head -1)"
	local exe
	exe=$(readlink "/proc/$server_pid/exe" 2>/dev/null || true)
	[[ $exe == "$rootfs${argv[0]}" ]] || die "pid $server_pid is '$exe', not the entrypoint: SIGTERM would not reach it"
}

check_health() {
	local out
	out=$(in_container 10 "${health_cmd[@]}" 2>&1) || die "HEALTHCHECK command failed: $out"
	say "HEALTHCHECK (${health_cmd[*]}) exit 0: $out"
	out=$(in_container 10 /bedrock-emulator health --url http://127.0.0.1:8080 2>&1) ||
		die "health --url failed: $out"
	out=$(in_container 10 /bedrock-emulator version 2>&1) || die "version failed: $out"
	[[ $out == "$version" ]] || die "version prints '$out', want the build's '$version'"
	say "version: $out"
}

converse_boto3() {
	local rc=0
	if ! command -v python3 >/dev/null; then
		say "SKIP: boto3 Converse call: no python3 here"
		skipped=1
		return 0
	fi
	timeout --kill-after=5 60 env -u AWS_PROFILE -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE \
		AWS_EC2_METADATA_DISABLED=true MODEL="$model" \
		ip netns exec "$netns" python3 - <<'PY' || rc=$?
import os, sys, time
t0 = time.monotonic()
try:
    import boto3
    from botocore.config import Config
except ImportError:
    sys.exit(77)
t1 = time.monotonic()

client = boto3.client(
    "bedrock-runtime",
    endpoint_url="http://127.0.0.1:8080",
    region_name="us-west-2",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=20),
)
resp = client.converse(
    modelId=os.environ["MODEL"],
    messages=[{"role": "user", "content": [{"text": "Hello from the image test."}]}],
    inferenceConfig={"maxTokens": 64},
)
status = resp["ResponseMetadata"]["HTTPStatusCode"]
msg = resp["output"]["message"]
text = "".join(b.get("text", "") for b in msg["content"])
assert status == 200, status
assert msg["role"] == "assistant", msg
assert resp["stopReason"], resp
assert resp["usage"]["totalTokens"] >= 0, resp
print(f"image-test: boto3 converse {os.environ['MODEL']}: HTTP {status}, stopReason={resp['stopReason']}, "
      f"usage={resp['usage']}, text={text[:80]!r}")

# The event stream through the same port: a message from start to stop, with metadata.
resp = client.converse_stream(
    modelId=os.environ["MODEL"],
    messages=[{"role": "user", "content": [{"text": "Hello from the image test."}]}],
    inferenceConfig={"maxTokens": 64},
)
events = [next(iter(e)) for e in resp["stream"]]
assert events[0] == "messageStart", events
assert "contentBlockDelta" in events, events
assert "messageStop" in events and events[-1] == "metadata", events
print(f"image-test: boto3 converse_stream: {len(events)} events, {events[0]} .. {events[-1]}")
print(f"image-test: boto3 import {t1 - t0:.2f}s, client and both calls {time.monotonic() - t1:.2f}s")
PY
	case $rc in
	0) ;;
	77)
		say "SKIP: boto3 Converse call: boto3 is not installed for $(command -v python3)"
		skipped=1
		;;
	*) die "boto3 Converse call failed (exit $rc)" ;;
	esac
}

# ---- 6. stop ------------------------------------------------------------------
stop_server() {
	local rc=0 t0
	t0=$(now)
	kill -TERM "$server_pid"
	local deadline=$((SECONDS + 15))
	while kill -0 "$server_pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.02; done
	if kill -0 "$server_pid" 2>/dev/null; then
		cat "$work/server.log" >&2
		die "still running 15s after SIGTERM"
	fi
	wait "$server_pid" || rc=$?
	server_pid=""
	say "server log:"
	sed 's/^/    /' "$work/server.log"
	((rc == 0)) || die "exit status $rc after SIGTERM, want 0"
	say "exited 0 after SIGTERM in $(since "$t0")s"
	rc=0
	in_container 10 "${health_cmd[@]}" >/dev/null 2>&1 || rc=$?
	case $rc in
	0) die "HEALTHCHECK command passed with the server stopped" ;;
	1) say "HEALTHCHECK command exits 1 (unhealthy) once the server is stopped" ;;
	124 | 137) die "HEALTHCHECK command hung with the server stopped" ;;
	*) say "WARN: HEALTHCHECK command exits $rc with the server stopped; Docker wants 1 (2 is reserved)" ;;
	esac
}

step "install tools" install_tools
step "builder image" make_builder
step "buildah bud" build_image
step "image config and size" check_image
step "prepare root fs + netns" prepare_run
step "start until healthy" start_server
step "health check" check_health
step "boto3 converse" converse_boto3
step "SIGTERM stop" stop_server
