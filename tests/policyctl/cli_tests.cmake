# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Command-line tests of the policyctl binary: exit codes, messages, and what
# is (not) written. Included from CMakeLists.txt (D = data dir, B = scratch).

cli_test(no_args --rc 1 --stderr "usage: policyctl COMMAND" -- ${PCTL})
cli_test(help --rc 0 --stdout "exit codes:" --stdout "4  secure world unreachable" -- ${PCTL} --help)
cli_test(unknown_command --rc 1 --stderr "unknown command 'frob'" -- ${PCTL} frob)
cli_test(test_help_documents_trace --rc 0 --stdout "TRACE: one JSON object per line"
         --stdout "\"op\":\"end_usage\"" --stdout "EXPECTED: one JSON object" -- ${PCTL} test --help)

# validate
cli_test(validate_ok --rc 0 --stdout "good.json: ok: policy \"cli-good\" version 4, 2 rules"
         -- ${PCTL} validate ${D}/good.json)
cli_test(validate_syntax --rc 2
         --stderr "bad_syntax.json:5:11: error: syntax error while parsing object"
         -- ${PCTL} validate ${D}/bad_syntax.json)
cli_test(validate_pointer --rc 2
         --stderr "bad_field.json:8:6: error: unknown field \"colour\" in rule \\(at /rules/0/colour\\)"
         -- ${PCTL} validate ${D}/bad_field.json)
cli_test(validate_json --rc 2
         --stdout "\"ok\":false"
         --stdout "\"line\":8,\"column\":6,\"pointer\":\"/rules/0/colour\""
         -- ${PCTL} validate --json ${D}/bad_field.json)
cli_test(validate_missing_file --rc 1 --stderr "cannot open '/nonexistent.json'"
         -- ${PCTL} validate /nonexistent.json)

# compile: atomic, nothing written on error
cli_test(compile_ok --rc 0
         --stdout "wrote .*cli.blob: [0-9]+ bytes, policy \"cli-good\" version 4, 2 rules, device e76604b23bcf585db509e04e00449378"
         -- ${PCTL} compile ${D}/good.json -o ${B}/cli.blob --key ${D}/test.key --device ${D}/test.pub)
# The signature checked by an independent Ed25519 (python3-cryptography):
# RFC 8032 signatures are deterministic, so compile_ok's blob is stable.
find_program(TZUCON_SYSTEM_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
add_test(NAME cli_compile_signature_openssl
         COMMAND ${TZUCON_SYSTEM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/verify_blob.py
                 ${B}/cli.blob ${D}/test.pub e76604b23bcf585db509e04e00449378)
set_tests_properties(cli_compile_signature_openssl PROPERTIES LABELS cli DEPENDS cli_compile_ok)
cli_test(compile_device_id --rc 0 --stdout "device 00112233445566778899aabbccddeeff"
         -- ${PCTL} compile ${D}/good.json -o ${B}/cli-id.blob --key ${D}/test.key
            --device 00112233445566778899aabbccddeeff)
cli_test(compile_needs_device --rc 2 --absent ${B}/nodev.blob
         --stderr "good.json:1:1: error: no target device: a blob must be bound to a device"
         -- ${PCTL} compile ${D}/good.json -o ${B}/nodev.blob --key ${D}/test.key)
cli_test(compile_bad_device --rc 1 --absent ${B}/baddev.blob
         --stderr "--device: '00zz' is neither a device id \\(32 hex digits\\) nor a file"
         -- ${PCTL} compile ${D}/good.json -o ${B}/baddev.blob --key ${D}/test.key --device 00zz)
cli_test(compile_public_key_is_not_a_private_key --rc 1 --absent ${B}/pubkey.blob
         --stderr "must hold \"ed25519-private:\""
         -- ${PCTL} compile ${D}/good.json -o ${B}/pubkey.blob --key ${D}/test.pub --device ${D}/test.pub)
cli_test(compile_invalid_writes_nothing --rc 2 --absent ${B}/bad.blob
         --stderr "bad_field.json:8:6: error" --stderr "is not a valid policy \\(1 error\\)"
         -- ${PCTL} compile ${D}/bad_field.json -o ${B}/bad.blob --key ${D}/test.key --device ${D}/test.pub)
cli_test(compile_invalid_keeps_old_blob --rc 2 --unchanged ${B}/old.blob
         -- ${PCTL} compile ${D}/bad_syntax.json -o ${B}/old.blob --key ${D}/test.key --device ${D}/test.pub)
cli_test(compile_missing_key --rc 1 --absent ${B}/nokey.blob --stderr "cannot read key"
         -- ${PCTL} compile ${D}/good.json -o ${B}/nokey.blob --key ${B}/missing.key)
cli_test(compile_needs_output --rc 1 --stderr "option '-o' is required"
         -- ${PCTL} compile ${D}/good.json --key ${D}/test.key)

# keygen: never overwrites (file modes are checked in policyctl_admin_test)
cli_test(keygen_new --rc 0 --absent ${B}/new.key --absent ${B}/new.pub
         --stdout "wrote private key .*new.key \\(mode 0600\\) and public key .*new.pub"
         -- sh -c "rm -f ${B}/new.key ${B}/new.pub && ${PCTL} keygen -o ${B}/new.key && rm ${B}/new.key ${B}/new.pub")
cli_test(keygen_refuses_overwrite --rc 1 --unchanged ${B}/exists.key
         --stderr "exists. keys are never overwritten"
         -- ${PCTL} keygen -o ${B}/exists.key)

# authorize / verify-report usage errors (the flows: policyctl_guest_test)
cli_test(authorize_needs_challenge --rc 1 --stderr "option '--challenge' is required"
         -- ${PCTL} authorize --key ${D}/test.key mode permissive -o ${B}/t.token)
cli_test(authorize_unknown_command --rc 1
         --stderr "unknown administrative command 'reboot' \\(expected mode, attr, end-usage or audit-config\\)"
         -- ${PCTL} authorize --key ${D}/test.key --challenge ${D}/challenge.json reboot -o ${B}/t.token)
cli_test(authorize_ok --rc 0 --stdout "authorizes 'mode permissive' on device 00112233445566778899aabbccddeeff, counter 5"
         -- ${PCTL} authorize --key ${D}/test.key --challenge ${D}/challenge.json mode permissive -o ${B}/t.token)
cli_test(integrity_help --rc 0 --stdout "usage: policyctl integrity status"
         --stdout "exit: 0 answered \\(whatever the state\\)" -- ${PCTL} integrity --help)
cli_test(integrity_in_main_help --rc 0 --stdout "  integrity     show the kernel's measured integrity"
         -- ${PCTL} --help)
cli_test(integrity_unreachable --rc 4 --stderr "secure world unreachable: cannot open /nonexistent/tee"
         -- ${PCTL} integrity status --device /nonexistent/tee)
add_test(NAME cli_check_report_integrity
         COMMAND ${TZUCON_SYSTEM_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/check_report_test.py
                 ${PROJECT_SOURCE_DIR}/tests/e2e/check_report.py ${PCTL})
set_tests_properties(cli_check_report_integrity PROPERTIES LABELS cli)
cli_test(verify_report_not_a_report --rc 3 --stderr "is not a report: a report has"
         -- ${PCTL} verify-report ${D}/good.json --device-pub ${D}/test.pub)

# test: trace errors, expectation mismatch, invalid policy
cli_test(test_ok --rc 0 --stdout "\"seq\":1,\"hook\":\"devmem_open\",\"verdict\":\"deny\""
         -- ${PCTL} test ${D}/good.json --trace ${D}/trace_ok.jsonl --expect ${D}/expected_ok.jsonl)
cli_test(test_mismatch --rc 3
         --stderr "expected_wrong.jsonl:2: mismatch for trace line 2"
         --stderr "/verdict: expected \"deny\", got \"allow\""
         --stderr "/rule: expected 2, got 0"
         -- ${PCTL} test ${D}/good.json --trace ${D}/trace_ok.jsonl --expect ${D}/expected_wrong.jsonl)
cli_test(test_trace_error --rc 1 --no-stdout "."
         --stderr "trace_bad_key.jsonl:3: subject: unknown key \"shoe_size\""
         -- ${PCTL} test ${D}/good.json --trace ${D}/trace_bad_key.jsonl)
cli_test(test_invalid_policy --rc 2 --stderr "bad_field.json:8:6"
         -- ${PCTL} test ${D}/bad_field.json --trace ${D}/trace_ok.jsonl)
cli_test(test_needs_trace --rc 1 --stderr "option '--trace' is required"
         -- ${PCTL} test ${D}/good.json)

# explain
cli_test(explain_text --rc 0
         --stdout "decision: deny by rule 2 \"unpriv-bpf\""
         --stdout "rule 2 \"unpriv-bpf\" \\(deny\\): MATCHED"
         --stdout "target: +subject.euid != 0"
         -- ${PCTL} explain ${D}/good.json --event ${D}/event.json)

# guest commands without a secure world
cli_test(status_unreachable --rc 4 --stderr "secure world unreachable: cannot open /nonexistent/tee0"
         -- ${PCTL} status --device /nonexistent/tee0)
cli_test(load_unreachable --rc 4 --stderr "secure world unreachable"
         -- ${PCTL} load ${D}/test.key --device /dev/null)
cli_test(challenge_unreachable --rc 4 --stderr "secure world unreachable"
         -- ${PCTL} challenge --device /nonexistent/tee0)
cli_test(mode_unreachable --rc 4 --stderr "secure world unreachable"
         -- ${PCTL} mode enforce --device /nonexistent/tee0)
