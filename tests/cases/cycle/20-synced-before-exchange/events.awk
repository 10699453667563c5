# Reads `strace -f -y -qq` output of ducha-cycle run with -C ROOT (absolute) and prints, with
# the paths relative to ROOT and the staging folder's random suffix as XXXXXX:
#   - with check=1: for every path listed in the file `published` (relative to the staging
#     folder), whether it was fsync'ed before the exchange or the rename that published it,
#     or the whole file system was: a syncfs of the staging folder before publication (which
#     ducha-cycle makes after its last stage and its run.log are written);
#   - then the calls from the staging folder's last fsync before publication on, at the level
#     of output/YEAR:
#     fsync, exchange, rename, remove (calls that failed are left out; what is removed inside
#     a folder being removed is left out).
function rel(p) { sub("^" root "/", "", p); gsub(/\.staging\.[A-Za-z0-9]+/, ".staging.XXXXXX", p); return p }
# strace writes the bytes of a non-ASCII name as octal escapes (\345\216\277): back to bytes.
function unescape(s,   out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
            out = out sprintf("%c", (substr(s, i + 1, 1) * 64) + (substr(s, i + 2, 1) * 8) + substr(s, i + 3, 1))
            i += 3
        } else
            out = out c
    }
    return out
}
function arg(s, n,   parts, k) { k = split(s, parts, "\""); return parts[2 * n] }
/ = -1 / { next }
{
    line = $0
    sub(/^[0-9]+ +/, "", line)
    ev = ""
    if (line ~ /^f(data)?sync\(/) {
        p = line; sub(/^[a-z]+\([0-9]+</, "", p); sub(/>\).*/, "", p); p = unescape(p)
        if (!published_at) synced[p] = 1
        ev = "fsync " rel(p)
        if (p ~ /\.staging\.[A-Za-z0-9]+$/ && !published_at) { staging = p; start = n + 1 }
    } else if (line ~ /^syncfs\(/) {
        p = line; sub(/^syncfs\([0-9]+</, "", p); sub(/>\).*/, "", p); p = unescape(p)
        ev = "syncfs " rel(p)
        if (p ~ /\.staging\.[A-Za-z0-9]+$/ && !published_at) { staging = p; whole_fs = 1; start = n + 1 }
    } else if (line ~ /^renameat2\(.*RENAME_EXCHANGE/) {
        ev = "exchange " arg(line, 1) " " arg(line, 2); published_at = 1
    } else if (line ~ /^rename(at2?)?\(/) {
        a = arg(line, 1); b = arg(line, 2); ev = "rename " a " " b
        if (a ~ /\.staging\.[A-Za-z0-9]+$/) published_at = 1
    } else if (line ~ /^(unlink|unlinkat|rmdir)\(/) {
        p = arg(line, 1)
        if (p ~ /^output\/[^\/]+\/[^\/]+$/ || p ~ "^" root "/output/[^/]+/[^/]+$") ev = "remove " rel(p)
    }
    gsub(/\.staging\.[A-Za-z0-9]+/, ".staging.XXXXXX", ev)
    if (ev != "") events[++n] = ev
}
END {
    if (check) {
        total = 0; missed = 0
        while ((getline f < "published") > 0) {
            total++
            key = f == "." ? staging : staging "/" f
            if (!whole_fs && !(key in synced)) {
                missed++; print "not synced before publication: " f
            }
        }
        print total " published files and folders, " (total - missed) " synced before publication"
    }
    for (i = start; i <= n; i++) print events[i]
}
