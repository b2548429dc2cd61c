# Shell functions for text that reaches a runner's log, shared by install.sh and run.sh (sourced).

# Text for a workflow command's message: `%`, CR and LF escaped, so nothing in it (a path, a
# server's words) can end the command and start another.
escape() {
  local text=$1
  text=${text//'%'/'%25'}
  text=${text//$'\r'/'%0D'}
  text=${text//$'\n'/'%0A'}
  printf '%s' "$text"
}

# Text made one line: CR and LF become spaces, so no log line can start with `::`.
one_line() {
  local text=${1//$'\r'/ }
  printf '%s' "${text//$'\n'/ }"
}

# Text with every URL's user:password@ taken out, so a credential in a URL (a mirror's
# download-url, say) never reaches a log, an annotation or an output.
without_userinfo() {
  # Up to the last @ before the path: a password may hold an @, and a mistyped https:/ counts.
  printf '%s' "$1" | sed -E 's#([A-Za-z][A-Za-z0-9+.-]*:/+)[^/[:space:]]*@#\1#g'
}
