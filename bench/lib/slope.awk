#!/usr/bin/awk -f
# Input: tab-separated soak samples (t_s, heap MiB, old gen KiB, RSS KiB, ...). Prints first vs last and the
# least-squares slope per minute of each of the three memory columns.
BEGIN { FS = "\t"; name[2] = "heap after full GC (MiB)"; name[3] = "old generation after full GC (KiB)"; name[4] = "RSS (KiB)" }
{ n++; t[n] = $1; for (c = 2; c <= 4; c++) v[c, n] = $c }
END {
  for (c = 2; c <= 4; c++) {
    if (v[c, 1] !~ /^[0-9.]+$/) continue   # column not measured in this run
    sx = sy = sxx = sxy = 0
    for (i = 1; i <= n; i++) { sx += t[i]; sy += v[c, i]; sxx += t[i] * t[i]; sxy += t[i] * v[c, i] }
    b = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    printf "- %s: first %s, last %s (%+.1f %%), least-squares slope %+.2f per minute over %d samples (%d s)\n",
      name[c], v[c, 1], v[c, n], (v[c, 1] ? (v[c, n] - v[c, 1]) * 100 / v[c, 1] : 0), b * 60, n, t[n]
  }
}
