# Sourced by start.sh and test.sh: installs the Debian packages that provide missing commands, and says which.

# install_missing WHY cmd:package ... : installs the packages of the commands not on the PATH.
install_missing() {
  local why="$1"; shift
  local pkgs=() pair cmd pkg
  for pair in "$@"; do
    cmd="${pair%%:*}"; pkg="${pair#*:}"
    if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/bin/$cmd" ] && [ ! -x "/usr/sbin/$cmd" ]; then
      case " ${pkgs[*]} " in *" $pkg "*) ;; *) pkgs+=("$pkg") ;; esac
    fi
  done
  [ ${#pkgs[@]} -eq 0 ] && return 0
  echo "StreamThings: installing what $why need from Debian's packages: ${pkgs[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${pkgs[@]}" >/dev/null
  echo "StreamThings: installed ${pkgs[*]}"
}

# The influxdb package starts its own influxd service on port 8086 where systemd runs; the platform and the tests run
# influxd themselves, on their own data folders.
stop_packaged_influxd() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet influxdb 2>/dev/null; then
    $sudo systemctl disable --now influxdb >/dev/null 2>&1 || true
  fi
}
