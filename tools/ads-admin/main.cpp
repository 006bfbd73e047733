// ads-admin: act as the cloud on ads-sim's admin API from a shell or a CI script (see --help).
#include <cstdlib>
#include <iostream>

#include "ads_admin/run.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  return ads_admin::run_admin(args, std::getenv("XDG_STATE_HOME"), std::getenv("HOME"), std::cout, std::cerr);
}
