# CPack's .deb packages, one per install component: `cpack --config build/CPackConfig.cmake -B DIR` (or
# `cmake --build build --target package`). Their Depends are Debian's package names, as dpkg-shlibdeps finds them
# from the binaries' shared libraries (libssl3, libsqlite3-0, libyaml-cpp0.7, libstdc++6, libc6, ...).
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL sim7600-emu ads-sim)
set(CPACK_PACKAGE_NAME sim7600-emu)
set(CPACK_PACKAGE_VENDOR "sim7600-emu")
set(CPACK_PACKAGE_CONTACT "sim7600-emu maintainers <sim7600-emu@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the build keeps its debug info; the packages ship the programs without it
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_SIM7600-EMU_PACKAGE_NAME sim7600-emu)
# A description's first line is the package's synopsis; CPack indents the lines after it.
set(CPACK_COMPONENT_SIM7600-EMU_DESCRIPTION
    "emulator of a SIMCom SIM7600 LTE module running the Ayla cloud agent
sim7600-emu answers the AT commands of the SIM7600 AYLA application note on
a pseudo-TTY, a serial device or TCP, with an embedded Ayla-like cloud.
sim7600-ctl drives its world (coverage, SIM, clock, faults), sim7600-scenario
runs scenario files for CI and ads-admin acts as the cloud.")
# sim7600-scenario's `cloud: separate` cases start an ads-sim beside it.
set(CPACK_DEBIAN_SIM7600-EMU_PACKAGE_RECOMMENDS ads-sim)

set(CPACK_DEBIAN_ADS-SIM_PACKAGE_NAME ads-sim)
set(CPACK_COMPONENT_ADS-SIM_DESCRIPTION
    "Ayla-like device service for sim7600-emu
ads-sim serves the Ayla device protocol, its admin API and the FOTA web
console over HTTPS, with its state in SQLite.")

include(CPack)
