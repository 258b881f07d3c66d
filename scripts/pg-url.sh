# Sourced by the scripts that make scratch PostgreSQL databases.
# pg_url URL NAME: URL with database NAME in place of its own; options such as
# ?sslmode=disable carry over (as db::postgres_url_with_database in the backend).
pg_url() {
    local url=$1 name=$2 opts=""
    case "$url" in *\?*) opts="?${url#*\?}" ;; esac
    url=${url%%\?*}
    printf '%s/%s%s' "${url%/*}" "$name" "$opts"
}
