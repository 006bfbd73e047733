#include <catch2/catch.hpp>

#include "module_test_rig.hpp"

using agent_test::module_rig;

namespace {

// A booted module with echo off.
std::unique_ptr<module_rig> quiet_module(config_store::nv_image stored = {}) {
  auto rig = module_rig::booted(std::move(stored));
  REQUIRE(rig->feed("ATE0\r") == "ATE0\r\r\nOK\r\n");
  return rig;
}

}  // namespace

TEST_CASE("storage: AT+CFTRANRX stores a file after its '>' prompt, the same at every split") {
  const std::string input = std::string("AT+CFTRANRX=\"C:/cfg.json\",7\r{\"a\":\x1A}") + "AT+FSATTRI=cfg.json\r";
  auto output = agent_test::same_output_at_every_split(input, [](std::vector<std::string_view> pieces) {
    auto rig = quiet_module();
    std::string out;
    for (auto piece : pieces) out += rig->feed(piece);
    return out;
  });
  // The stated length takes every byte as data, Ctrl-Z included.
  CHECK(output == "\r\n>\r\nOK\r\n\r\n+FSATTRI: 7\r\n\r\nOK\r\n");
}

TEST_CASE("storage: files and folders through AT+FSMKDIR, AT+FSCD, AT+FSLS, AT+FSDEL, AT+FSRMDIR") {
  auto rig = quiet_module();
  CHECK(rig->feed("AT+FSCD?\r") == "\r\n+FSCD: C:/\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS?\r") == "\r\n+FSLS: SUBDIRECTORIES:0,FILES:0\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSMKDIR=MyDir\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+FSMKDIR=MyDir\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+FSCD=MyDir\r") == "\r\n+FSCD: C:/MyDir/\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"t1.txt\",3\rabc") == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS\r") == "\r\n+FSLS: FILES:\r\nt1.txt\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSCD=..\r") == "\r\n+FSCD: C:/\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"c:/top.txt\",1\rx") == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS\r") ==
        "\r\n+FSLS: SUBDIRECTORIES:\r\nMyDir\r\n\r\n+FSLS: FILES:\r\ntop.txt\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS=1\r") == "\r\n+FSLS: SUBDIRECTORIES:\r\nMyDir\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS=2\r") == "\r\n+FSLS: FILES:\r\ntop.txt\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS?\r") == "\r\n+FSLS: SUBDIRECTORIES:1,FILES:1\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSMEM\r") == "\r\n+FSMEM: C:(262144,4)\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSRMDIR=MyDir\r") == "\r\nERROR\r\n");  // not empty
  CHECK(rig->feed("AT+FSDEL=MyDir/t1.txt\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+FSDEL=MyDir/t1.txt\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+FSRMDIR=MyDir\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+FSCD=MyDir\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+FSLS=3\r") == "\r\nERROR\r\n");
}

TEST_CASE("storage: AT+CFTRANTX sends a file, or a part of it, in DATA blocks") {
  auto rig = quiet_module();
  REQUIRE(rig->feed("AT+CFTRANRX=\"C:/t.txt\",11\rTestcontent") == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\"\r") ==
        "\r\n+CFTRANTX: DATA,11\r\nTestcontent\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\",4,3\r") == "\r\n+CFTRANTX: DATA,3\r\ncon\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\",4\r") ==
        "\r\n+CFTRANTX: DATA,7\r\ncontent\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\",11\r") == "\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\",12\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/t.txt\",4,8\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/none\"\r") == "\r\nERROR\r\n");

  const std::string big(5000, 'z');
  REQUIRE(rig->feed("AT+CFTRANRX=\"C:/big\",5000\r" + big) == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANTX=\"C:/big\"\r") == "\r\n+CFTRANTX: DATA,2048\r\n" + big.substr(0, 2048) +
                                                     "\r\n+CFTRANTX: DATA,2048\r\n" + big.substr(0, 2048) +
                                                     "\r\n+CFTRANTX: DATA,904\r\n" + big.substr(0, 904) +
                                                     "\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
}

TEST_CASE("storage: bad paths, other drives and a full drive are refused before the prompt") {
  auto rig = quiet_module();
  rig->feed("AT+CMEE=1\r");
  CHECK(rig->feed("AT+CFTRANRX=\"D:/a.txt\",3\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/a*b\",3\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/nodir/a\",3\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/a\",0\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/a\",262145\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/a\"\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+FSCD=E:\r") == "\r\nERROR\r\n");
  REQUIRE(rig->feed("AT+CFTRANRX=\"C:/a\",262144\r" + std::string(262144, 'a')) == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+CFTRANRX=\"C:/b\",1\r") == "\r\n+CME ERROR: 20\r\n");
  CHECK(rig->feed("AT+FSMEM\r") == "\r\n+FSMEM: C:(262144,262144)\r\n\r\nOK\r\n");
}

TEST_CASE("storage: files and certificates survive a restart, the current folder does not") {
  auto rig = quiet_module();
  REQUIRE(rig->feed("AT+FSMKDIR=cfg\r") == "\r\nOK\r\n");
  REQUIRE(rig->feed("AT+FSCD=cfg\r") == "\r\n+FSCD: C:/cfg/\r\n\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CFTRANRX=\"a.txt\",2\rhi") == "\r\n>\r\nOK\r\n");
  REQUIRE(rig->feed("AT+CCERTDOWN=\"ca.pem\",4\rCERT") == "\r\n>\r\nOK\r\n");
  auto again = quiet_module(rig->nv.stored);
  CHECK(again->feed("AT+FSCD?\r") == "\r\n+FSCD: C:/\r\n\r\nOK\r\n");
  CHECK(again->feed("AT+CFTRANTX=\"C:/cfg/a.txt\"\r") == "\r\n+CFTRANTX: DATA,2\r\nhi\r\n+CFTRANTX: 0\r\n\r\nOK\r\n");
  CHECK(again->feed("AT+CCERTLIST\r") == "\r\n+CCERTLIST: \"ca.pem\"\r\n\r\nOK\r\n");
  // A reboot keeps the files and goes back to C:/.
  REQUIRE(again->feed("AT+FSCD=cfg\r") == "\r\n+FSCD: C:/cfg/\r\n\r\nOK\r\n");
  again->module.reboot();
  REQUIRE(again->fire(apca::timer_id::boot) == agent_test::boot_banner);
  again->feed("ATE0\r");
  CHECK(again->feed("AT+FSCD?\r") == "\r\n+FSCD: C:/\r\n\r\nOK\r\n");
  CHECK(again->feed("AT+FSLS=1\r") == "\r\n+FSLS: SUBDIRECTORIES:\r\ncfg\r\n\r\nOK\r\n");
}

TEST_CASE("storage: a write NV refuses answers +CME ERROR: 23 and leaves nothing behind") {
  auto rig = quiet_module();
  rig->feed("AT+CMEE=1\r");
  rig->nv.auto_complete = false;
  CHECK(rig->feed("AT+CFTRANRX=\"C:/a\",2\rhi") == "\r\n>");
  CHECK(rig->feed("AT\r").empty());  // held until the save ends
  rig->nv.finish_save(false);
  CHECK(rig->module.take_output() == "\r\n+CME ERROR: 23\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+FSLS\r") == "\r\nOK\r\n");
}

TEST_CASE("storage: certificates through AT+CCERTDOWN, AT+CCERTLIST, AT+CCERTDELE") {
  auto rig = quiet_module();
  rig->feed("AT+CMEE=1\r");
  CHECK(rig->feed("AT+CCERTLIST\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CCERTDOWN=\"client.der\",3\r\x01\x02\x03") == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+CCERTDOWN=ca.pem,5\rPEM\r\n") == "\r\n>\r\nOK\r\n");
  CHECK(rig->feed("AT+CCERTLIST\r") == "\r\n+CCERTLIST: \"ca.pem\"\r\n+CCERTLIST: \"client.der\"\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CCERTDOWN=\"ca.crt\",3\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CCERTDOWN=\"ca.pem\",10241\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CCERTDELE=\"none.pem\"\r") == "\r\nERROR\r\n");
  CHECK(rig->feed("AT+CCERTDELE=\"ca.pem\"\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CCERTLIST\r") == "\r\n+CCERTLIST: \"client.der\"\r\n\r\nOK\r\n");
}

TEST_CASE("ssl contexts: AT+CSSLCFG sets each of a context's settings, shown by AT+CSSLCFG? and =<ctx>") {
  auto rig = quiet_module();
  CHECK(rig->feed("AT+CSSLCFG=0\r") == "\r\n+CSSLCFG: 0,4,0,1,300,\"\",\"\",\"\"\r\n\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"sslversion\",1,3\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"authmode\",1,2\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"IGNORELOCALTIME\",1,0\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"negotiatetime\",1,120\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"cacert\",1,\"ca.pem\"\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"clientcert\",1,\"me.pem\"\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"clientkey\",1,\"me.der\"\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=\"enableSNI\",1,1\r") == "\r\nOK\r\n");
  CHECK(rig->feed("AT+CSSLCFG=1\r") == "\r\n+CSSLCFG: 1,3,2,0,120,\"ca.pem\",\"me.pem\",\"me.der\"\r\n\r\nOK\r\n");
  const std::string all = rig->feed("AT+CSSLCFG?\r");
  CHECK(all.find("+CSSLCFG: 1,3,2,0,120,\"ca.pem\"") != std::string::npos);
  CHECK(all.find("+CSSLCFG: 9,4,0,1,300") != std::string::npos);
  for (const char* bad : {"AT+CSSLCFG=\"sslversion\",1,5\r", "AT+CSSLCFG=\"authmode\",1,4\r",
                          "AT+CSSLCFG=\"negotiatetime\",1,9\r", "AT+CSSLCFG=\"negotiatetime\",1,301\r",
                          "AT+CSSLCFG=\"cacert\",1,\"ca.crt\"\r", "AT+CSSLCFG=\"cacert\",10,\"ca.pem\"\r",
                          "AT+CSSLCFG=\"ciphers\",1,1\r", "AT+CSSLCFG=\"authmode\",1\r", "AT+CSSLCFG=10\r",
                          "AT+CSSLCFG=1,2\r", "AT+CSSLCFG=\"enablesni\",1,x\r"}) {
    INFO(bad);
    CHECK(rig->feed(bad) == "\r\nERROR\r\n");
  }
  // Volatile: a reboot restores the defaults.
  rig->module.reboot();
  REQUIRE(rig->fire(apca::timer_id::boot) == agent_test::boot_banner);
  rig->feed("ATE0\r");
  CHECK(rig->feed("AT+CSSLCFG=1\r") == "\r\n+CSSLCFG: 1,4,0,1,300,\"\",\"\",\"\"\r\n\r\nOK\r\n");
}
