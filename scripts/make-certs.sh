#!/usr/bin/env bash
# Create development TLS certificates for the Aftercare services.
#
# Usage: scripts/make-certs.sh DIR [NAME ...]
#
# - DIR is created (mode 0700) if it does not exist.
# - A development CA (DIR/ca.pem, DIR/ca.key: EC P-256, 10 years) is created
#   unless both files already exist, in which case it is reused.
# - For each NAME in the default list plus any NAMEs given (deduplicated),
#   DIR/NAME.key (EC P-256, PKCS#8 PEM, mode 0600) and DIR/NAME.pem (leaf
#   certificate only, CN and single DNS SAN NAME.aftercare.internal,
#   serverAuth+clientAuth, 825 days) are created unless both already exist.
#
# Environment:
#   AFTERCARE_CERT_CA_NAME  CN for a newly created CA
#                           (default: "Aftercare Development CA <DIR basename>").
#
# Quiet on success except for a final "certificates in DIR: ..." line.
# Requires the OpenSSL 3 command-line tool.
set -euo pipefail

readonly DEFAULT_NAMES=(orders payments logistics aftersales feedback gateway cli buyer-app seller-app support carrier)
readonly DOMAIN="aftercare.internal"

prog=${0##*/}

die() {
    printf '%s: %s\n' "$prog" "$*" >&2
    exit 1
}

usage() {
    printf 'usage: %s DIR [NAME ...]\n' "$prog" >&2
    exit 2
}

[[ $# -ge 1 ]] || usage
case $1 in
    -h | --help) usage ;;
esac
[[ -n $1 ]] || usage

dir=$1
shift

command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH"

# Collect names: defaults first, then command-line extras, deduplicated.
declare -A seen=()
names=()
for name in "${DEFAULT_NAMES[@]}" "$@"; do
    [[ -n ${seen[$name]+x} ]] && continue
    # A DNS name relative to $DOMAIN: labels of letters, digits and inner hyphens.
    if [[ ! $name =~ ^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$ ]]; then
        die "invalid certificate name: '$name' (expected a DNS label such as 'orders')"
    fi
    [[ $name == ca ]] && die "invalid certificate name: 'ca' is reserved for the CA files"
    seen[$name]=1
    names+=("$name")
done

if [[ ! -d $dir ]]; then
    [[ -e $dir ]] && die "$dir exists and is not a directory"
    mkdir -p -- "$dir"
    chmod 0700 -- "$dir"
fi

# Everything created from here on is private unless explicitly relaxed.
umask 077

# Serialise concurrent runs on the same DIR (lock the directory itself, so no
# lock file is left behind).
if command -v flock >/dev/null 2>&1; then
    exec 9<"$dir"
    flock 9
fi

# Temporary directory inside DIR so that finished files can be renamed into
# place atomically; removed on exit.
tmp=$(mktemp -d "$dir/.make-certs.XXXXXX")
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# Run an openssl command quietly; on failure show its output and abort.
run_openssl() {
    if ! openssl "$@" >"$tmp/log" 2>&1; then
        cat "$tmp/log" >&2
        die "openssl $1 failed"
    fi
}

# Escape a value for use inside an openssl -subj string.
subj_escape() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\//\\/}
    s=${s//=/\\=}
    s=${s//+/\\+}
    printf '%s' "$s"
}

# Random positive 128-bit serial number (hex).
random_serial() {
    local hex
    hex=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    # Force the top nibble to 1..7: positive and exactly 16 bytes long.
    printf '0x%x%s' $((0x${hex:0:1} % 7 + 1)) "${hex:1}"
}

# Minimal config: do not pick up extensions from the system openssl.cnf.
cat >"$tmp/openssl.cnf" <<'EOF'
[ req ]
distinguished_name = req_dn
string_mask        = utf8only
utf8               = yes

[ req_dn ]

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_leaf ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth, clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:${ENV::AFTERCARE_CERT_SAN}
EOF
export AFTERCARE_CERT_SAN=unused

ca_pem=$dir/ca.pem
ca_key=$dir/ca.key

if [[ -e $ca_pem && -e $ca_key ]]; then
    : # reuse the existing CA
elif [[ -e $ca_pem || -e $ca_key ]]; then
    die "$dir contains only one of ca.pem/ca.key; remove it or restore the other"
else
    dir_base=$(cd -- "$dir" && basename -- "$(pwd -P)")
    ca_cn=${AFTERCARE_CERT_CA_NAME:-"Aftercare Development CA $dir_base"}
    run_openssl req -x509 -new -utf8 -noenc \
        -config "$tmp/openssl.cnf" -extensions v3_ca \
        -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -keyout "$tmp/ca.key" -out "$tmp/ca.pem" \
        -subj "/CN=$(subj_escape "$ca_cn")" \
        -sha256 -days 3650 -set_serial "$(random_serial)"
    chmod 0600 "$tmp/ca.key"
    chmod 0644 "$tmp/ca.pem"
    mv -f -- "$tmp/ca.key" "$ca_key"
    mv -f -- "$tmp/ca.pem" "$ca_pem"
fi

for name in "${names[@]}"; do
    key=$dir/$name.key
    pem=$dir/$name.pem
    [[ -e $key && -e $pem ]] && continue

    fqdn=$name.$DOMAIN
    AFTERCARE_CERT_SAN=$fqdn run_openssl req -new -utf8 -noenc \
        -config "$tmp/openssl.cnf" -extensions v3_leaf \
        -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
        -keyout "$tmp/leaf.key" -out "$tmp/leaf.pem" \
        -subj "/CN=$fqdn" \
        -CA "$ca_pem" -CAkey "$ca_key" \
        -sha256 -days 825 -set_serial "$(random_serial)"
    chmod 0600 "$tmp/leaf.key"
    chmod 0644 "$tmp/leaf.pem"
    mv -f -- "$tmp/leaf.key" "$key"
    mv -f -- "$tmp/leaf.pem" "$pem"
done

printf 'certificates in %s: %s\n' "$dir" "${names[*]}"
