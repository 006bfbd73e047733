#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (committed; rerun after changing this file).

Seeds come from the application note's transcripts (every AT line it prints, each sample as one session) and
from the end-to-end tests' flows (a cloud session from login to an OTA offer, ads-sim's device and admin calls).
The record format of each target is described at the top of its harness (fuzz/<target>_fuzz.cpp)."""
import base64
import hashlib
import json
import pathlib
import re
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
NOTE = HERE.parent.parent / "shared/seed/SIM7600_AYLA_application_note.txt"
SEP = "\x1d"


def write(target, seeds):
    folder = HERE / "corpus" / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in seeds.items():
        data = text if isinstance(text, bytes) else text.encode("latin-1")
        (folder / name).write_bytes(data)


def note_at_lines():
    """Every AT command line the note prints, its trailing comments cut off, grouped by section."""
    sections, current = {}, "intro"
    if not NOTE.exists():
        return sections
    for raw in NOTE.read_text(encoding="utf-8", errors="replace").splitlines():
        heading = re.match(r"^\s*(\d+(?:\.\d+)+)\s", raw)
        if heading:
            current = heading.group(1)
        line = raw.strip()
        if not line.upper().startswith("AT"):
            continue
        line = re.split(r"\s{2,}|\t|//", line)[0].strip()
        if line:
            sections.setdefault(current, []).append(line)
    return sections


def session(lines, fire=2):
    """Host lines, each followed by a few timer firings (data call, clock, connection attempts)."""
    return "".join(line + "\r" + (SEP + "T0") * fire + SEP for line in lines)


def module_seeds():
    seeds = {}
    for section, lines in note_at_lines().items():
        seeds["note_" + section.replace(".", "_")] = session(lines)
    dsn = json.dumps({"device": {"key": 1, "dsn": "AC000W000000001"}})
    offer = {"commands": {"properties": [{"property": {"name": "Blue_LED", "base_type": "boolean", "value": 1}}],
                          "cmds": [{"cmd": {"id": 1, "method": "PUT", "resource": "ota.json",
                                            "uri": "/devices/1/commands/1.json",
                                            "data": {"ota": {"url": "https://ads/devices/1/images/1.bin", "ver": "2.0",
                                                             "size": 100, "type": "host_mcu", "source": "local",
                                                             "checksum": "00" * 32}}}}]}}
    online = ['AT+ADA="start"', 'AT+ADA="status"', 'AT+ADA="enable"']
    seeds["cloud_online_listen_offer"] = (
        session(online) + "R0" + dsn + SEP + "R2" + SEP + "R2" + SEP + 'HAT+ADA="l"\r' + SEP + "R0" +
        json.dumps(offer) + SEP + 'HAT+ADA="ota","dl","host","idh1",60\r' + SEP + "R3" + "x" * 60 + SEP + "D" +
        SEP + 'HAT+ADA="ota","status","host","idh1",0\r' + SEP + 'HAT+ADA="s","Blue_LED","b","1"\r' + SEP + "R1" +
        SEP + 'HAT+ADA="g","Blue_LED"\r' + SEP + "R0" +
        json.dumps({"property": {"name": "Blue_LED", "base_type": "boolean", "value": 0}}))
    seeds["cloud_refused"] = session(online) + "R6" + json.dumps({"error": "unknown device"}) + SEP + "T0"
    seeds["provisioning"] = (
        session(['AT+ADA="reset"', 'AT+ADA="start"', 'AT+ADA="cs","id/dev_id",""', 'AT+ADA="cs","oem/keyid","K1"',
                 'AT+ADA="cs","oem/hwid","myhwid1"', 'AT+ADA="sign","st","QUJD"', 'AT+ADA="enable"']) +
        "R1" + json.dumps({"dsn": "AC000W000000003", "public_key": "QUJD"}) + SEP + "N1")
    seeds["v250_and_modem"] = session(
        ["AT", "ATE0", "ATV0", "ATQ1", "ATQ0V1E1", "ATS3=13", "ATS4?", "AT&W", "ATZ", "AT&F", "A/", "AT+CMEE=2",
         "AT+CSQ", "AT+CREG?", "AT+CGREG=?", "AT+CEREG?", "AT+COPS?", "AT+CPIN?", "AT+CCLK?", "AT+IPR=115200",
         "AT+CFUN?", "AT+CFUN=1,1", "AT+CRESET", "AT S7=45 S0=0 L1 V1 X4 &c1 E1 Q0", "ATI;+CGMR;+CGSN",
         "at+ada=\"version\",\"fota\"", 'AT+ADA="cs","oem/model","a\\22b\\5Cc"'])
    seeds["line_editing"] = "AT\bT\r" + "AT+ADA=\"sta\x08tus\"\r" + "x" * 300 + "\r\n\0\xff\r" + SEP + "X" + SEP + "B"
    return seeds


def nv_image(values, generation=1):
    body = b"SIMNV\x01" + struct.pack(">QI", generation, len(values))
    for key, value in sorted(values.items()):
        body += struct.pack(">I", len(key)) + key.encode() + struct.pack(">I", len(value)) + value.encode()
    return body


def nv_seeds():
    values = {"oem/id": "0dfc7900", "oem/model": "sim7600-demo", "id/dev_id": "AC000W000000001",
              "fw/version": "LE11B01SIM7600M11", "ota/host": '[{"id":"idh1","uri":"/x"}]', "empty": ""}
    body = nv_image(values, 7)
    return {"stored": body + hashlib.sha256(body).digest(), "sealed": b"S" + body,
            "sealed_empty": b"S" + nv_image({}), "truncated": body[:20]}


def ads_sim_seeds():
    def req(line, body=None, headers=()):
        text = line + "\n" + "".join(h + "\n" for h in headers) + "\n"
        return text + (json.dumps(body) if body is not None else "")

    token, admin = "x-Ayla-auth-key: Ayla1.0 $token", "Authorization: Bearer $admin"
    return {
        "device_session": SEP.join([
            req("PUT /devices/$key.json", {"device": {"sw_version": "v1", "oem": "71866f33"}}, [token]),
            req("PUT /devices/$key/oem_info.json", {"oem": "71866f33", "oem_model": "ledevb", "oem_key": "QUJD"},
                [token]),
            req("POST /devices/$key/properties/Blue_LED/datapoints.json",
                {"datapoint": {"name": "Blue_LED", "base_type": "boolean", "value": 1, "metadata": {"k": "v"}}},
                [token]),
            req("GET /devices/$key/properties/Blue_LED.json", None, [token]),
            req("GET /devices/$key/commands.json?poll=5", None, [token])]),
        "admin_session": SEP.join([
            req("POST /api/v1/oems", {"name": "n", "email": "e@example.com"}, [admin]),
            req("GET /api/v1/oems", None, [admin]),
            req("GET /api/v1/devices/$dsn", None, [admin]),
            req("PUT /api/v1/devices/$dsn/properties/Blue_LED", {"value": 1, "base_type": "boolean"}, [admin]),
            req("GET /devices/$key/commands.json", None, [token]),
            req("GET /api/v1/devices/$dsn/properties/Blue_LED/datapoints", None, [admin])]),
        "ota_job": SEP.join([
            req("POST /api/v1/images", {"type": "host", "model": "ledevb", "version": "2",
                                        "data_base64": base64.b64encode(b"firmware" * 20).decode()}, [admin]),
            req("POST /api/v1/ota_jobs", {"image_id": 1, "dsns": ["$dsn"]}, [admin]),
            req("POST /api/v1/ota_jobs/1/start", None, [admin]),
            req("GET /devices/$key/commands.json", None, [token]),
            req("GET /devices/$key/images/1.bin", None, [token, "Range: bytes=0-47"]),
            req("PUT /devices/$key/commands/1.json", {"status": 0}, [token]),
            req("PUT /devices/$key/ota_failed.json", {"ota-status": {"status": 3, "type": "host_mcu"}}, [token]),
            req("GET /api/v1/ota_jobs/1", None, [admin])]),
        "faults": SEP.join([
            req("POST /api/v1/faults", {"cut_download": {"image_id": 1, "at": 10, "times": 2}}, [admin]),
            req("GET /api/v1/faults", None, [admin]), req("DELETE /api/v1/faults", None, [admin])]),
        "provision": req("POST /provisions/KEYID", {"oem_model": "ledevb", "hwid": "h1", "rand": "r",
                                                    "signature": "QUJD", "oem": "71866f33"}),
        "login": req("GET /dsns/$dsn.json", None, ["x-Ayla-client-auth: Ayla1.0 QUJD"]),
    }


def answer_seeds():
    return {
        "dsn": "0" + json.dumps({"device": {"key": 12, "dsn": "AC000W000000001", "oem": "71866f33"}}),
        "commands": "3" + json.dumps({"commands": {
            "cmds": [{"cmd": {"id": 7, "method": "PUT", "resource": "ota.json", "uri": "/devices/12/commands/7.json",
                              "data": {"ota": {"url": "https://ads/devices/12/images/3.bin", "ver": "v2", "size": 5000,
                                               "type": "module", "source": "local", "checksum": "ab" * 32}}}}],
            "properties": [{"property": {"name": "Blue_LED", "base_type": "decimal", "value": 21.5}},
                           {"property": {"name": "s", "base_type": "string", "value": "text"}}]}}),
        "property": "0" + json.dumps({"property": {"name": "Blue_LED", "base_type": "integer", "value": -3}}),
        "provision": "1" + json.dumps({"dsn": "AC000W000000003", "public_key": "QUJD"}),
        "error": "6" + json.dumps({"error": "oem_key does not match"}),
    }


def ota_seeds():
    host = json.dumps({"ota": {"url": "https://ads/devices/1/images/1.bin", "ver": "2", "size": 100,
                               "type": "host_mcu", "source": "local", "checksum": "00" * 32}})
    module = json.dumps({"ota": {"url": "https://ads/devices/1/images/2.bin", "ver": "LE11B02", "size": 96,
                                 "type": "module", "source": "local",
                                 "checksum": hashlib.sha256(b"m" * 96).hexdigest()}})
    return {
        "host_windows": SEP.join(["O" + host, "N1", "Adhidh1,60", "Gx", "D", "Adhidh1,60", "Gy", "D", "Ashidh1,0"]),
        "host_short_fetch": SEP.join(["O" + host, "Adhidh1", "Fshort", "Adhidh1,30", "E", "L", "U", "Gz", "D"]),
        "module_apply": SEP.join(["O" + module, "N1", "Admidm1", "Gm", "Gm", "N1", "Aamidm1", "N1", "P", "U", "N1"]),
        "mcu_mode": SEP.join(["Ammidm1,0", "N1", "Ammidm1", "O" + module, "Gm", "Gm", "P"]),
        "refused_fetches": SEP.join(["O" + module, "N1", "Admidm1", "R", "Gm", "R", "R", "R", "O" + host, "N1",
                                     "Adhidh2,60", "R", "E", "U", "R", "R"]),
    }


def base64_seeds():
    return {"key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmukH7jHMh68OuIRSnBij73vu7sQX31IVd6Ukx+Nnk6",
            "padded": "QUJDRA==", "lines": "QUJD\r\nREVG\n", "bad": "QU=D", "bytes": b"\x00\xff\x10"}


if __name__ == "__main__":
    write("module_core", module_seeds())
    write("nv_codec", nv_seeds())
    write("ads_sim_request", ads_sim_seeds())
    write("service_answers", answer_seeds())
    write("ota_assembly", ota_seeds())
    write("base64", base64_seeds())
