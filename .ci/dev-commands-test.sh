#!/usr/bin/env bash
# What a newcomer sees from ./dev, checked on a host of the test's own: its own state directory
# (JOBS_DEV_STATE_DIR), namespace and free ports, so it neither stops the developer's host nor the shared
# RabbitMQ and Redis (./dev down stops only what this state directory records). Needs the host jar built
# (./dev test runs it after mvn verify) and RabbitMQ and Redis reachable.
# Prints "dev-commands: N passed, N failed" last; exits 1 when a check failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STATE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/dev-commands-test.XXXXXX")"
export JOBS_DEV_STATE_DIR="$STATE_DIR"
export JOBS_NAMESPACE="devcmd-$$"
unset JOBS_API_KEYS JOBS_QUEUE_TYPE JOBS_WEBHOOK_SIGNING_SECRET
RECEIVER_PID=""
PASSED=0
FAILED=0

cleanup() {
  [[ -n "$RECEIVER_PID" ]] && kill "$RECEIVER_PID" 2>/dev/null
  ./dev down >/dev/null 2>&1
  rm -rf "$STATE_DIR"
}
trap cleanup EXIT

ok() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$1"; [[ -n "${2:-}" ]] && printf '%s\n' "$2" | sed 's/^/     | /' | head -n 30; }
check() { # name, condition (a command), output to show on failure
  if eval "$2"; then ok "$1"; else fail "$1" "${3:-}"; fi
}
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    port_open "$p" || { printf '%s' "$p"; return 0; }
  done
  return 1
}

PORT="$(free_port)"
RECEIVER_PORT="$(free_port)"
export JOBS_HTTP_PORT="$PORT"

# help expands the real port
out="$(./dev help 2>&1)"
check "help names the API port in use (http://127.0.0.1:$PORT)" '[[ "$out" == *"http://127.0.0.1:$PORT"* && "$out" != *'"'"'${JOBS_HTTP_PORT'"'"'* ]]' "$out"

# an unknown command is named, then usage, exit 2
out="$(./dev frobnicate 2>&1)"; rc=$?
check "unknown command: exit 2" '((rc == 2))' "rc=$rc"
check "unknown command: says so first, then usage" '[[ "$(head -n 1 <<<"$out")" == *"unknown command: frobnicate"* && "$out" == *"usage: ./dev"* ]]' "$out"

# bad settings: one message naming all, before any key is announced, no stack trace
out="$(JOBS_API_KEYS=short JOBS_QUEUE_TYPE=quorom ./dev up -d 2>&1)"; rc=$?
check "bad settings: exit 2" '((rc == 2))' "rc=$rc"$'\n'"$out"
check "bad settings: both problems in one message" '[[ "$out" == *"2 problems"* && "$out" == *"JOBS_API_KEYS"* && "$out" == *"JOBS_QUEUE_TYPE=quorom: must be quorum or classic"* ]]' "$out"
check "bad settings: no key announced, no stack trace, no enum name" '[[ "$out" != *"API key for tenant"* && "$out" != *"Exception"* && "$out" != *"	at "* && "$out" != *"QUOROM"* ]]' "$out"
check "bad settings: no host left running" '[[ ! -f "$STATE_DIR/host.pid" ]]'

# a port in use (the receiver holds it): named with JOBS_HTTP_PORT, before anything is declared
./dev receiver "$PORT" > "$STATE_DIR/blocker.out" 2>&1 &
blocker=$!   # ./dev execs the receiver's JVM: this is its pid
for _ in $(seq 1 60); do port_open "$PORT" && break; sleep 0.5; done
out="$(./dev up -d 2>&1)"; rc=$?
kill "$blocker" 2>/dev/null; wait "$blocker" 2>/dev/null
check "port in use: exit 2, names the port and JOBS_HTTP_PORT" '((rc == 2)) && [[ "$out" == *"port $PORT"*"in use"* && "$out" == *"JOBS_HTTP_PORT"* ]]' "rc=$rc"$'\n'"$out"
check "port in use: no stack trace, no key announced" '[[ "$out" != *"Exception"* && "$out" != *"API key for tenant"* ]]' "$out"

# the receiver, with the dev signing key ./dev keeps in the state directory
./dev receiver "$RECEIVER_PORT" > "$STATE_DIR/receiver.out" 2>&1 &
RECEIVER_PID=$!   # ./dev execs the receiver's JVM: this is its pid
# up -d: in the background, banner with the dashboard, pid and log in the state directory
out="$(JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true ./dev up -d 2>&1)"; rc=$?
check "up -d: exit 0" '((rc == 0))' "rc=$rc"$'\n'"$out"$'\n'"$(tail -n 30 "$STATE_DIR/host.log" 2>/dev/null)"
check "up -d: banner names the dashboard" '[[ "$out" == *"dashboard  http://127.0.0.1:$PORT/dashboard"* ]]' "$out"
pid="$(cat "$STATE_DIR/host.pid" 2>/dev/null)"
check "up -d: the host runs in the background (pid file)" '[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null'
check "up -d: health answers on the port" '[[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$PORT/healthz")" == 200 ]]'
out="$(./dev up -d 2>&1)"; rc=$?
check "up -d twice: refused, names the running host" '((rc != 0)) && [[ "$out" == *"already running (pid $pid"* ]]' "$out"
out="$(timeout 5 ./dev logs 2>&1)"
check "logs: follows the host log" '[[ "$out" == *"local host up"* ]]' "$out"

# the webhook quick start, end to end on this machine: a signed delivery reaches the receiver
KEY="$(grep -o 'dev=[^,]*' "$STATE_DIR/env" | cut -d= -f2)"
for _ in $(seq 1 60); do port_open "$RECEIVER_PORT" && break; sleep 0.5; done
job="$(curl -s -X POST "http://127.0.0.1:$PORT/v1/jobs" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"type":"webhook.deliver","payload":{"url":"http://127.0.0.1:'"$RECEIVER_PORT"'/hook","body":{"hello":"world"}}}')"
job_id="$(sed -n 's/.*"jobId":"\([^"]*\)".*/\1/p' <<<"$job")"
status=""
for _ in $(seq 1 120); do
  status="$(curl -s "http://127.0.0.1:$PORT/v1/jobs/$job_id" -H "Authorization: Bearer $KEY" | sed -n 's/.*"status":"\([^"]*\)".*/\1/p')"
  [[ "$status" == succeeded || "$status" == dead_lettered ]] && break
  sleep 0.5
done
check "quick start: the webhook job succeeds" '[[ "$status" == succeeded ]]' "submit: $job"$'\n'"status: $status"
check "receiver: printed the delivery with a valid signature" 'grep -q "webhook-id=$job_id .*signature valid" "$STATE_DIR/receiver.out"' "$(cat "$STATE_DIR/receiver.out")"
kill "$RECEIVER_PID" 2>/dev/null
RECEIVER_PID=""

# down stops the host it started, and says so; shared services keep running
out="$(./dev down 2>&1)"
check "down: says what it stopped" '[[ "$out" == *"stopped the local host (pid $pid, port $PORT)"* ]]' "$out"
check "down: the host is gone and the port free" '! kill -0 "$pid" 2>/dev/null && ! port_open "$PORT"'
check "down: RabbitMQ and Redis keep running" '[[ "$out" == *"keep running"* ]]' "$out"
out="$(./dev down 2>&1)"
check "down again: nothing to stop" '[[ "$out" == *"nothing to stop"* ]]' "$out"

printf 'dev-commands: %d passed, %d failed\n' "$PASSED" "$FAILED"
((FAILED == 0))
