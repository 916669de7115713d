// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* e2e_true - the smallest static program: the target of the exec benchmark. */
int main(void)
{
	return 0;
}
