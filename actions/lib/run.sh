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
#   SHIPGATE_BOOL_<flag>  `--flag=VALUE` when VALUE is true or false; nothing when empty; else exit 2
#   SHIPGATE_FLAG_<flag>  `--flag=VALUE` when VALUE is not empty (a flag that may stand alone, like
#                         --fix; the gate checks VALUE, and as one word it cannot become a switch)
#   SHIPGATE_SECRET_<VAR> exported to the gate as VAR when not empty (a secret: never on argv);
#                         VAR must end in _TOKEN, _KEY, _SECRET or _PASSWORD
#   SHIPGATE_PATHS        arguments after `--`, one per line
#   SHIPGATE_CONFIG       the `config` input (default: .github/shipgate.yml, found upwards)
#   SHIPGATE_OUTPUT_FILE  write the results there instead of the log
#   SHIPGATE_TOKEN        token for fetching the base branch when the checkout does not have it
# On `pull_request` and `pull_request_target`, the config is read from the base branch
# ($GITHUB_BASE_REF, fetched from $GITHUB_SERVER_URL/$GITHUB_REPOSITORY), never from the pull
# request's head, so a pull request cannot switch off the gate that checks it. A pull request
# that changes the config gets a note in the step summary; its change applies once merged. A
# checkout git cannot read is exit 3, not the pull request's config.
set -uo pipefail

gate=${SHIPGATE_GATE:-gate}
name="shipgate-$gate"
# The name goes into annotation titles and the log: only a gate's folder name passes.
if ! [[ $gate =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then name=shipgate; fi

# shellcheck source=workflow.sh
. "$(dirname "${BASH_SOURCE[0]}")/workflow.sh"

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
  local text
  text=$(one_line "$1")
  printf '`%s`' "${text//\`/\'}"
}

[ -n "${SHIPGATE:-}" ] || error 3 "no $name binary: the install step gave none"

# The lines of a multi-line input that are not blank, surrounding blanks dropped, into the array
# named first.
lines_of() {  # array name, text
  local -n into=$1
  local line
  into=()
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ]; then into+=("$line"); fi
  done <<<"$2"
}

args=()
values() {  # flag, text: one `flag line` pair per line that is not blank
  local flag=$1 items item
  lines_of items "$2"
  for item in "${items[@]}"; do args+=("$flag" "$item"); done
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
      # Only a credential's name (..._TOKEN, _KEY, _SECRET, _PASSWORD) is exported, so no
      # variable the shell or loader reads (PATH, LD_PRELOAD, BASH_ENV) can be set this way.
      secret=${var#SHIPGATE_SECRET_}
      if [ -n "$value" ] && [[ $secret =~ ^[A-Z][A-Z0-9_]*_(TOKEN|KEY|SECRET|PASSWORD)$ ]]; then
        export "$secret=$value"
      fi
      unset "$var"
      ;;
    SHIPGATE_FLAG_*)
      flag="--${var#SHIPGATE_FLAG_}"
      flag=${flag//_/-}
      if [ -n "$value" ]; then args+=("$flag=$value"); fi
      ;;
    SHIPGATE_BOOL_*)
      flag="--${var#SHIPGATE_BOOL_}"
      flag=${flag//_/-}
      # Said outright, so an input of false overrides a config of true; nothing else is passed,
      # so no other word can reach the gate as a switch.
      case "$value" in
        '') ;;
        true | false) args+=("$flag=$value") ;;
        *) error 2 "input ${flag#--}: expected true or false (or empty for the default), got '$(one_line "${value:0:40}")'" ;;
      esac
      ;;
  esac
done < <(compgen -e | LC_ALL=C sort)

# The config, from the base branch on pull requests.
g() { git -c safe.directory='*' "$@"; }  # a container's checkout may belong to another user
config=${SHIPGATE_CONFIG:-}
event=${GITHUB_EVENT_NAME:-}
base_ref=${GITHUB_BASE_REF:-}
workspace=${GITHUB_WORKSPACE:-$PWD}
cleanup=()
trap 'rm -f "${cleanup[@]}"' EXIT
if { [ "$event" = pull_request ] || [ "$event" = pull_request_target ]; } && [ -n "$base_ref" ]; then
  case "$config" in
    *$'\n'* | *$'\r'*) error 2 "the config path holds a line break" ;;
  esac
  # A config outside the workspace was put there by the workflow, not by the pull request.
  trusted=0
  if [ -n "$config" ]; then
    abs=$(realpath -m -s -- "$config")
    case "$abs/" in
      "$(realpath -m -s -- "$workspace")"/*) ;;
      *) trusted=1 ;;
    esac
  fi
  probe=.
  if [ -n "$config" ]; then probe=$(dirname -- "$abs"); fi
  while [ ! -d "$probe" ]; do probe=$(dirname -- "$probe"); done
  if [ "$trusted" = 1 ]; then
    :
  elif ! top=$(g -C "$probe" rev-parse --show-toplevel 2>/dev/null); then
    # No git to ask: safe only when nothing of the pull request's can be the config.
    found=""
    dir=$(pwd -P)
    while :; do
      if [ -e "$dir/.github/shipgate.yml" ]; then found="$dir/.github/shipgate.yml"; fi
      if [ -n "$found" ] || [ -e "$dir/.git" ] || [ "$dir" = / ]; then break; fi
      dir=$(dirname "$dir")
    done
    if [ -n "$config" ] || [ -n "$found" ] || [ -d "$workspace/.github" ]; then
      error 3 "cannot read the config from the base branch: git cannot read this checkout. Install git before actions/checkout (in a container job), or run the gate in a job without a checkout"
    fi
  else
    git check-ref-format --branch "$base_ref" >/dev/null 2>&1 || error 3 "GITHUB_BASE_REF '$base_ref' is not a branch name"
    # The base branch of the repository the workflow runs for, fetched from it by URL (never from
    # `origin`, which may be a fork) into a ref of shipgate's own; the checkout's credentials
    # first, then the token, given through the environment and only for that server.
    [ -n "${GITHUB_REPOSITORY:-}" ] || error 3 "GITHUB_REPOSITORY is not set: cannot tell which repository's base branch to read"
    url="${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY"
    base="refs/shipgate/base"
    depth=()
    if [ "$(g -C "$top" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then depth=(--depth=1); fi
    export GIT_TERMINAL_PROMPT=0
    fetch_base() {
      timeout 120 git -c safe.directory='*' -C "$top" fetch --quiet --no-tags --no-write-fetch-head "${depth[@]}" "$url" \
        "+refs/heads/$base_ref:$base" 2>/dev/null
    }
    if ! fetch_base; then
      fetched=0
      if [ -n "${SHIPGATE_TOKEN:-}" ]; then
        basic=$(printf 'x-access-token:%s' "$SHIPGATE_TOKEN" | base64 -w0)
        echo "::add-mask::$basic"
        if GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.${GITHUB_SERVER_URL:-https://github.com}/.extraheader" \
          GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $basic" fetch_base; then
          fetched=1
        fi
      fi
      [ "$fetched" = 1 ] || error 3 "cannot read the config from the base branch $base_ref: fetching it from $url failed. Give the action a token that can read the repository (contents: read)"
    fi
    # The config's path in the repository: the input's (as written, links not followed), else
    # the nearest .github/shipgate.yml from the working directory upwards on the base branch.
    rel=""
    added=""
    if [ -n "$config" ]; then
      case "$abs/" in
        "$top"/*) rel=${abs#"$top"/} ;;
        *) error 2 "config '$config' is outside the repository" ;;
      esac
    else
      dir=$(pwd -P)
      while :; do
        candidate=.github/shipgate.yml
        if [ "$dir" != "$top" ]; then candidate="${dir#"$top"/}/.github/shipgate.yml"; fi
        if g -C "$top" cat-file -e "$base:$candidate" 2>/dev/null; then
          rel=$candidate
          break
        fi
        if [ -z "$added" ] && [ -e "$top/$candidate" ]; then added=$candidate; fi
        [ "$dir" = "$top" ] && break
        case "$dir" in "$top"/*) dir=$(dirname "$dir") ;; *) break ;; esac
      done
      rel=${rel:-$added}
    fi
    if [ -n "$rel" ]; then
      # Beside the config, so the paths it names resolve from the same repository root; a new
      # file of a random name (never one the pull request placed), in a folder that is really
      # inside the repository (no link of the pull request's on the way), removed at the end.
      base_dir=$(dirname -- "$top/$rel")
      mkdir -p -- "$base_dir" 2>/dev/null
      [ "$(realpath -e -- "$base_dir" 2>/dev/null)" = "$base_dir" ] ||
        error 3 "cannot place the base branch's config: $(dirname -- "$rel") is a link or not a folder in this checkout"
      base_copy=$(mktemp --suffix=.yml "$base_dir/.shipgate-base-config.XXXXXX") || error 3 "cannot write in $base_dir"
      cleanup+=("$base_copy")
      shown="$(code_span "$rel")"
      if g -C "$top" cat-file -e "$base:$rel" 2>/dev/null; then
        g -C "$top" show "$base:$rel" >"$base_copy" 2>/dev/null || error 3 "cannot read $rel from the base branch $base_ref"
        if [ ! -e "$top/$rel" ]; then
          summary "**$name**: this pull request removes $shown; the gate used the base branch's copy ($(code_span "$base_ref")). The change applies once merged."
          echo "::notice title=$name::$(escape "this pull request removes $rel; the gate used the copy on $base_ref")"
        elif ! cmp -s "$base_copy" "$top/$rel"; then
          summary "**$name**: this pull request changes $shown; the gate used the base branch's version ($(code_span "$base_ref")). The change applies once merged."
          echo "::notice title=$name::$(escape "this pull request changes $rel; the gate used the version on $base_ref")"
        fi
      else
        echo "# no config on the base branch" >"$base_copy"
        if [ -e "$top/$rel" ]; then
          summary "**$name**: this pull request adds $shown; the gate ran without it, as on the base branch ($(code_span "$base_ref")). It applies once merged."
          echo "::notice title=$name::$(escape "this pull request adds $rel; the gate ran without it, as on $base_ref")"
        fi
      fi
      config=$base_copy
    fi
  fi
fi
if [ -n "$config" ]; then args+=(--config "$config"); fi

lines_of paths "${SHIPGATE_PATHS:-}"
if [ "${#paths[@]}" -gt 0 ]; then args+=(-- "${paths[@]}"); fi

unset SHIPGATE_TOKEN
rc=0
out=${SHIPGATE_OUTPUT_FILE:-}
if [ -n "$out" ] && [ "${SHIPGATE_OPT_format:-}" = github ]; then
  error 2 "output-file cannot be used with format: github (its results are the annotations)"
elif [ -n "$out" ]; then
  # Written to a new file, then renamed over the path: a link placed there is replaced, not
  # followed.
  mkdir -p -- "$(dirname -- "$out")" 2>/dev/null
  results=$(mktemp "$(dirname -- "$out")/.shipgate-results.XXXXXX" 2>/dev/null) || error 3 "cannot write output-file $out"
  cleanup+=("$results")
  "$SHIPGATE" "${args[@]}" >"$results" || rc=$?
  mv -f -- "$results" "$out" || error 3 "cannot write output-file $out"
else
  "$SHIPGATE" "${args[@]}" || rc=$?
fi
record "$rc"
