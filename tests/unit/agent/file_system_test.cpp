#include <catch2/catch.hpp>

#include "agent/cert_store.hpp"
#include "agent/file_system.hpp"

using agent::cert_error;
using agent::cert_store;
using agent::file_system;
using agent::fs_error;

namespace {

// Applies what a write answered, as the NV store does once durable.
void apply_changes(config_store::nv_image& nv, const agent::nv_changes& changes) {
  for (const auto& [key, value] : changes) {
    if (value) {
      nv.values[key] = *value;
    } else {
      nv.values.erase(key);
    }
  }
}

}  // namespace

TEST_CASE("file_system: names resolve against the current folder, absolute or relative, never above C:/") {
  config_store::nv_image nv;
  const file_system fs(nv);
  CHECK(fs.resolve("C:/", "a.txt").value() == "C:/a.txt");
  CHECK(fs.resolve("C:/dir", "a.txt").value() == "C:/dir/a.txt");
  CHECK(fs.resolve("C:/dir", "C:/a.txt").value() == "C:/a.txt");
  CHECK(fs.resolve("C:/dir", "c:a.txt").value() == "C:/a.txt");
  CHECK(fs.resolve("C:/dir", "C:").value() == "C:/");
  CHECK(fs.resolve("C:/dir/sub", "..").value() == "C:/dir");
  CHECK(fs.resolve("C:/", "../../x").value() == "C:/x");
  CHECK(fs.resolve("C:/", "./a//b/").value() == "C:/a/b");
  CHECK(fs.resolve("C:/", "D:/a").error() == fs_error::no_such_drive);
  CHECK(fs.resolve("C:/", "E:").error() == fs_error::no_such_drive);
  CHECK(fs.resolve("C:/", "a:b").error() == fs_error::no_such_drive);
  for (const char* bad : {"a*b", "a?b", "a<b", "a>b", "a|b", "a,b", "a;b", "a\"b", "a\\b", "ab:c", ".hidden",
                          "-dash", "end.", "1:x"}) {
    INFO(bad);
    CHECK(fs.resolve("C:/", bad).error() == fs_error::bad_name);
  }
  CHECK(fs.resolve("C:/", "_ok.1").value() == "C:/_ok.1");
  CHECK(fs.resolve("C:/", std::string(251, 'a')).value().size() == 254);
  CHECK(fs.resolve("C:/", std::string(252, 'a')).error() == fs_error::bad_name);
}

TEST_CASE("file_system: folders and files, listed by folder, only under an existing parent") {
  config_store::nv_image nv;
  const file_system fs(nv);
  CHECK(fs.write("C:/no/a.txt", "x").error() == fs_error::not_found);
  apply_changes(nv, fs.make_folder("C:/dir").value());
  CHECK(fs.make_folder("C:/dir").error() == fs_error::exists);
  CHECK(fs.make_folder("C:/").error() == fs_error::exists);
  apply_changes(nv, fs.make_folder("C:/dir/sub").value());
  apply_changes(nv, fs.write("C:/dir/a.txt", "hello").value());
  apply_changes(nv, fs.write("C:/top.bin", std::string("\0\r\n", 3)).value());
  CHECK(fs.write("C:/dir", "x").error() == fs_error::bad_name);
  CHECK(fs.make_folder("C:/top.bin").error() == fs_error::exists);
  CHECK(fs.read("C:/dir/a.txt") == "hello");
  CHECK(fs.read("C:/top.bin") == std::string("\0\r\n", 3));
  auto root = fs.list("C:/");
  CHECK(root.folders == std::vector<std::string>{"dir"});
  CHECK(root.files == std::vector<std::string>{"top.bin"});
  auto dir = fs.list("C:/dir");
  CHECK(dir.folders == std::vector<std::string>{"sub"});
  CHECK(dir.files == std::vector<std::string>{"a.txt"});
  CHECK(fs.remove_folder("C:/dir").error() == fs_error::not_empty);
  CHECK(fs.remove_folder("C:/").error() == fs_error::not_found);
  CHECK(fs.remove_file("C:/dir").error() == fs_error::not_found);
  apply_changes(nv, fs.remove_file("C:/dir/a.txt").value());
  apply_changes(nv, fs.remove_folder("C:/dir/sub").value());
  apply_changes(nv, fs.remove_folder("C:/dir").value());
  CHECK(fs.list("C:/").folders.empty());
  CHECK(fs.used_bytes() == 3);
  CHECK(fs.entries() == 1);
}

TEST_CASE("file_system: the total size and the number of entries are bounded, overwriting counts once") {
  config_store::nv_image nv;
  const file_system fs(nv);
  apply_changes(nv, fs.write("C:/big", std::string(file_system::max_total_bytes - 10, 'x')).value());
  CHECK(fs.write("C:/more", std::string(11, 'y')).error() == fs_error::full);
  apply_changes(nv, fs.write("C:/more", std::string(10, 'y')).value());
  CHECK(fs.refuses_write("C:/more", 10) == std::nullopt);  // its own bytes are replaced
  CHECK(fs.refuses_write("C:/more", 11) == fs_error::full);
  apply_changes(nv, fs.remove_file("C:/big").value());
  for (std::size_t i = fs.entries(); i < file_system::max_entries; ++i) {
    apply_changes(nv, fs.write("C:/f" + std::to_string(i), "").value());
  }
  CHECK(fs.write("C:/one_more", "").error() == fs_error::full);
  CHECK(fs.make_folder("C:/one_more").error() == fs_error::full);
  CHECK(fs.write("C:/f5", "rewrite").has_value());
}

TEST_CASE("cert_store: .pem and .der names, bounded size and count") {
  config_store::nv_image nv;
  const cert_store certs(nv);
  CHECK(cert_store::valid_name("ca.pem"));
  CHECK(cert_store::valid_name("Client.DER"));
  for (const char* bad : {".pem", "ca.crt", "ca", "dir/ca.pem", "c:ca.pem", "a,b.pem"}) {
    INFO(bad);
    CHECK_FALSE(cert_store::valid_name(bad));
  }
  CHECK_FALSE(cert_store::valid_name(std::string(61, 'a') + ".pem"));
  CHECK(certs.write("ca.crt", "x").error() == cert_error::bad_name);
  CHECK(certs.write("ca.pem", std::string(cert_store::max_cert_bytes + 1, 'x')).error() == cert_error::too_long);
  apply_changes(nv, certs.write("ca.pem", "PEM").value());
  CHECK(certs.read("ca.pem") == "PEM");
  for (std::size_t i = 1; i < cert_store::max_certs; ++i) apply_changes(nv, certs.write(std::to_string(i) + ".der", "x").value());
  CHECK(certs.write("more.pem", "x").error() == cert_error::full);
  CHECK(certs.write("ca.pem", "replaced").has_value());
  CHECK(certs.names().size() == cert_store::max_certs);
  CHECK(certs.remove("none.pem").error() == cert_error::not_found);
  apply_changes(nv, certs.remove("ca.pem").value());
  CHECK_FALSE(certs.read("ca.pem"));
}
