#!/usr/bin/env bash
# Runs one shipgate gate for a composite action: turns the action's inputs into the gate's
# flags, reads the config from the base branch on pull requests, and records the exit code.
#   run.sh              run the gate; never fails itself, so the gate's outputs are always set
#   run.sh --verdict    fail the step with the recorded exit code (SHIPGATE_EXIT)
#
# Inputs arrive only through the step's `env:` and become quoted words of an argv array; no input
# is ever pasted into script text. Read from the environment:
#   SHIPGATE              the gate binary (install.sh's `binary` output)
#   SHIPGATE_GATE         gate name, for messages
#   SHIPGATE_OPT_<flag>   `--flag VALUE` when VALUE is not empty (`_` in <flag> stands for `-`)
#   SHIPGATE_LIST_<flag>  `--flag LINE` for each line that is not blank (surrounding blanks dropped)
#   SHIPGATE_BOOL_<flag>  `--flag` when `true`; nothing when `false` or empty
#   SHIPGATE_SECRET_<VAR> exported to the gate as VAR when not empty (a secret: never on argv)
#   SHIPGATE_PATHS        arguments after `--`, one per line
#   SHIPGATE_CONFIG       the `config` input (default: .github/shipgate.yml, found upwards)
#   SHIPGATE_OUTPUT_FILE  write the results there instead of the log
#   SHIPGATE_TOKEN        token for fetching the base branch when the checkout does not have it
# On `pull_request` and `pull_request_target` inside a git checkout, the config is read from the
# base branch (origin/$GITHUB_BASE_REF, fetched if missing), never from the pull request's head,
# so a pull request cannot switch off the gate that checks it. A pull request that changes the
# config gets a note in the step summary; its change applies once merged.
set -uo pipefail

gate=${SHIPGATE_GATE:-gate}
name="shipgate-$gate"

escape() {  # text for a workflow command's message
  local text=$1
  text=${text//'%'/'%25'}
  text=${text//$'\r'/'%0D'}
  text=${text//$'\n'/'%0A'}
  printf '%s' "$text"
}

if [ "${1:-}" = --verdict ]; then
  code=${SHIPGATE_EXIT:-}
  case "$code" in
    0) exit 0 ;;
    1)
      echo "$name: failed; the reasons are in the annotations and the step summary"
      exit 1
      ;;
    2)
      echo "::error title=$name::usage or configuration error (see the log above)"
      exit 2
      ;;
    *)
      echo "::error title=$name::could not evaluate (exit ${code:-unknown})"
      exit 3
      ;;
  esac
fi

record() {  # the exit code the shell saw, so the verdict holds even if the gate never ran
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "gate-exit=$1" >>"$GITHUB_OUTPUT"
  fi
  exit 0
}
error() {  # exit code, message
  echo "::error title=$name::$(escape "$2")"
  record "$1"
}
summary() {  # Markdown line for the step summary (callers pass only code-quoted values)
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '%s\n\n' "$1" >>"$GITHUB_STEP_SUMMARY"
  fi
}
# A path or ref shown in Markdown: one line, inside a code span that nothing in it can close.
code_span() {
  local text=${1//$'\n'/ }
  text=${text//$'\r'/ }
  text=${text//\`/\'}
  printf '`%s`' "$text"
}

[ -n "${SHIPGATE:-}" ] || error 3 "no $name binary: the install step gave none"

args=()
values() {  # flag, text: one `flag line` pair per line that is not blank
  local flag=$1 line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ]; then args+=("$flag" "$line"); fi
  done <<<"$2"
}
while IFS= read -r var; do
  value=${!var}
  case "$var" in
    SHIPGATE_OPT_*)
      flag="--${var#SHIPGATE_OPT_}"
      flag=${flag//_/-}
      if [ -n "$value" ]; then args+=("$flag" "$value"); fi
      ;;
    SHIPGATE_LIST_*)
      flag="--${var#SHIPGATE_LIST_}"
      values "${flag//_/-}" "$value"
      ;;
    SHIPGATE_SECRET_*)
      if [ -n "$value" ]; then export "${var#SHIPGATE_SECRET_}=$value"; fi
      unset "$var"
      ;;
    SHIPGATE_BOOL_*)
      flag="--${var#SHIPGATE_BOOL_}"
      flag=${flag//_/-}
      case "$value" in
        true) args+=("$flag") ;;
        false | "") ;;
        *) error 2 "input ${flag#--} must be true or false, not '$value'" ;;
      esac
      ;;
  esac
done < <(compgen -e | LC_ALL=C sort)

# The config, from the base branch on pull requests.
config=${SHIPGATE_CONFIG:-}
event=${GITHUB_EVENT_NAME:-}
base_ref=${GITHUB_BASE_REF:-}
if { [ "$event" = pull_request ] || [ "$event" = pull_request_target ]; } && [ -n "$base_ref" ] &&
  top=$(git rev-parse --show-toplevel 2>/dev/null); then
  git check-ref-format --branch "$base_ref" >/dev/null 2>&1 || error 3 "GITHUB_BASE_REF '$base_ref' is not a branch name"
  remote="refs/remotes/origin/$base_ref"
  if ! git rev-parse -q --verify "$remote^{commit}" >/dev/null; then
    # Not in the checkout (actions/checkout fetches one commit): fetch the base branch's tip, with
    # the checkout's own credentials first, then with the token.
    export GIT_TERMINAL_PROMPT=0
    fetched=0
    if timeout 120 git fetch --quiet --no-tags --depth=1 origin "+refs/heads/$base_ref:$remote" 2>/dev/null; then
      fetched=1
    elif [ -n "${SHIPGATE_TOKEN:-}" ]; then
      basic=$(printf 'x-access-token:%s' "$SHIPGATE_TOKEN" | base64 -w0)
      if timeout 120 git -c "http.extraheader=AUTHORIZATION: basic $basic" fetch --quiet --no-tags --depth=1 \
        origin "+refs/heads/$base_ref:$remote" 2>/dev/null; then
        fetched=1
      fi
    fi
    [ "$fetched" = 1 ] || error 3 "cannot read the config from the base branch $base_ref: it is not in the checkout and fetching it failed. Fetch it before this step (actions/checkout with fetch-depth: 0), or give the action a token that can read the repository"
  fi
  # The config's path inside the repository: the input's, else the nearest .github/shipgate.yml
  # from the working directory upwards that either side has.
  here=$(pwd -P)
  top=$(cd "$top" && pwd -P)
  rel=""
  if [ -n "$config" ]; then
    abs=$(realpath -m -- "$config")
    case "$abs" in
      "$top"/*) rel=${abs#"$top"/} ;;
    esac
  else
    dir=$here
    while :; do
      candidate=.github/shipgate.yml
      if [ "$dir" != "$top" ]; then candidate="${dir#"$top"/}/.github/shipgate.yml"; fi
      if [ -f "$top/$candidate" ] || git cat-file -e "$remote:$candidate" 2>/dev/null; then
        rel=$candidate
        break
      fi
      [ "$dir" = "$top" ] && break
      case "$dir" in "$top"/*) dir=$(dirname "$dir") ;; *) break ;; esac
    done
  fi
  if [ -n "$rel" ]; then
    # Beside the config, so the paths it names resolve from the same repository root; removed
    # when this script ends.
    base_dir=$(dirname "$top/$rel")
    mkdir -p "$base_dir" || error 3 "cannot create $base_dir"
    base_copy="$base_dir/.shipgate-base-config.yml"
    trap 'rm -f "$base_copy"' EXIT
    shown="$(code_span "$rel")"
    if git cat-file -e "$remote:$rel" 2>/dev/null; then
      git show "$remote:$rel" >"$base_copy" 2>/dev/null || error 3 "cannot read $rel from the base branch $base_ref"
      if [ ! -f "$top/$rel" ]; then
        summary "**$name**: this pull request removes $shown; the gate used the base branch's copy ($(code_span "$base_ref")). The change applies once merged."
        echo "::notice title=$name::$(escape "this pull request removes $rel; the gate used the copy on $base_ref")"
      elif ! cmp -s "$base_copy" "$top/$rel"; then
        summary "**$name**: this pull request changes $shown; the gate used the base branch's version ($(code_span "$base_ref")). The change applies once merged."
        echo "::notice title=$name::$(escape "this pull request changes $rel; the gate used the version on $base_ref")"
      fi
    else
      echo "# $rel does not exist on $base_ref" >"$base_copy"
      if [ -f "$top/$rel" ]; then
        summary "**$name**: this pull request adds $shown; the gate ran without it, as on the base branch ($(code_span "$base_ref")). It applies once merged."
        echo "::notice title=$name::$(escape "this pull request adds $rel; the gate ran without it, as on $base_ref")"
      fi
    fi
    config=$base_copy
  fi
fi
if [ -n "$config" ]; then args+=(--config "$config"); fi

paths=()
while IFS= read -r line || [ -n "$line" ]; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [ -n "$line" ]; then paths+=("$line"); fi
done <<<"${SHIPGATE_PATHS:-}"
if [ "${#paths[@]}" -gt 0 ]; then args+=(-- "${paths[@]}"); fi

rc=0
out=${SHIPGATE_OUTPUT_FILE:-}
if [ -n "$out" ] && [ "${SHIPGATE_OPT_format:-}" = github ]; then
  error 2 "output-file cannot be used with format: github (its results are the annotations)"
elif [ -n "$out" ]; then
  { mkdir -p "$(dirname "$out")" && : >"$out"; } 2>/dev/null || error 3 "cannot write output-file $out"
  "$SHIPGATE" "${args[@]}" >"$out" || rc=$?
else
  "$SHIPGATE" "${args[@]}" || rc=$?
fi
record "$rc"
