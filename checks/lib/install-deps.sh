#!/usr/bin/env bash
# What both README commands (checks/demo and checks/test) need on a fresh Debian machine, installed only when
# missing: libcurl's headers (the CCurl module), pkg-config, openssl (test certificates, the demo's token),
# ca-certificates and python3-venv (the pinned scim2-server). Also puts the Swift toolchain on PATH when it sits
# in /opt/swift. Source it (`. checks/lib/install-deps.sh && install_deps`); it talks only to Debian's mirrors,
# and only when a package is missing.

SCIM_DOCTOR_SYSTEM_PACKAGES=(libcurl4-openssl-dev pkg-config openssl ca-certificates python3-venv)

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# Installs what is missing (these and any packages given as arguments); returns non-zero (after saying why) when
# it cannot.
install_deps() {
    local missing=() pkg wanted=("${SCIM_DOCTOR_SYSTEM_PACKAGES[@]}" "$@")
    for pkg in "${wanted[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "system packages present: ${wanted[*]}"
    else
        echo "installing: ${missing[*]}"
        local sudo=()
        if [ "$(id -u)" -ne 0 ]; then sudo=(sudo -n); fi
        export DEBIAN_FRONTEND=noninteractive
        "${sudo[@]}" apt-get update -qq </dev/null || { echo "apt-get update failed"; return 1; }
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null ||
            { echo "apt-get install ${missing[*]} failed"; return 1; }
    fi
    command -v swift >/dev/null || { echo "swift is not installed (expected at /opt/swift/usr/bin)"; return 1; }
    swift --version 2>&1 | head -1
}
