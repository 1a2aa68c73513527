import bisect
xs = sorted({(i * 7919) % 1000003 for i in range(100000)})
def bsearch(arr, x):
    lo, hi = 0, len(arr) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if arr[mid] == x:
            return mid
        if arr[mid] < x:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1
found = sum(1 for q in range(0, 1000003, 7) if bsearch(xs, q) >= 0)
print(len(xs), found, bisect.bisect_left(xs, 500000), bsearch(xs, 7919))
