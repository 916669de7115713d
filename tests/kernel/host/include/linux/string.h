/* SPDX-License-Identifier: GPL-2.0 */
/* Host stand-in (see types.h). */
#include <string.h>
