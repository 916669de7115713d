# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# device_key.cmake - run as `cmake -DKEY=<file> -DOUT=<.cc> -P device_key.cmake`
# at build time. Creates the device key file once (32 bytes from /dev/urandom
# as 64 hex characters + newline: the policyc key-file format, so
# `policyctl compile --key <file>` signs with the same key) and embeds it in
# the secure image as a C++ array. The key lives only in the build directory.
if(NOT EXISTS "${KEY}")
  execute_process(
    COMMAND od -An -tx1 -N32 /dev/urandom
    OUTPUT_VARIABLE raw RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "device key: cannot read /dev/urandom")
  endif()
  string(REGEX REPLACE "[ \n]" "" hex "${raw}")
  file(WRITE "${KEY}" "${hex}\n")
  file(CHMOD "${KEY}" PERMISSIONS OWNER_READ OWNER_WRITE)
  message(STATUS "device key: generated ${KEY}")
endif()
file(READ "${KEY}" text)
string(LENGTH "${text}" len)
if(NOT text MATCHES "^[0-9a-fA-F]+\n?$" OR len LESS 64 OR len GREATER 65)
  message(FATAL_ERROR "device key: ${KEY} is not 64 hex characters + newline")
endif()
string(SUBSTRING "${text}" 0 64 hex)
string(REGEX REPLACE "([0-9a-fA-F][0-9a-fA-F])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}.tmp"
  "// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause\n"
  "// Generated at build time from the build directory's device key: never commit.\n"
  "#include <stdint.h>\n"
  "namespace monitor {\n"
  "extern const uint8_t kDeviceKey[32];\n"
  "__attribute__((section(\".rodata.device_key\")))\n"
  "const uint8_t kDeviceKey[32] = {${bytes}};\n"
  "}  // namespace monitor\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")
