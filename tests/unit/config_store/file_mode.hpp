#pragma once
// The permission bits of a file the store wrote (state must be 0600, its folders 0700).
#include <sys/stat.h>

#include <filesystem>

#include <catch2/catch.hpp>

inline unsigned mode_of(const std::filesystem::path& file) {
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  return info.st_mode & 07777;
}
