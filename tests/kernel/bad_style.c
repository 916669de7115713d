// SPDX-License-Identifier: GPL-2.0
/* bad_style.c - deliberately not kernel style: checkpatch.sh must fail on it. */
int bad_style(int x) {
    if (x) return 1;
    return 0;
}
