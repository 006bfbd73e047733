/* The reference host firmware: what an MCU does with a SIM7600 running the Ayla agent, after the note's samples.
 *   1. waits for the module (AT until OK), echo off;
 *   2. brings the network up (sample 4.1: APN, data call, time server, clock), waiting for coverage and a SIM;
 *   3. starts the service and, when given an identity, provisions it by AT commands (sample 4.1);
 *   4. enables the connection and listens, with retries;
 *   5. reports its LED, then serves the cloud: a "p" URC sets the LED (printed as led=N), a host OTA is
 *      downloaded in windows, base64-decoded and hashed as it arrives (SHA-256) and its status reported, a module
 *      OTA is downloaded, applied, and the module brought up again after its reboot; "cmd" set to "burst" sends
 *      20 values of "counter" pipelined (a refused one again, in order); cloud work cut short runs again later;
 *   6. keeps its data call: dials again when the network drops it, when the SIM is back, or when a dial got no
 *      answer; after a module reset (an unexpected RDY, or the UART lost) opens the port again and does 1-4 again;
 *   7. exits 0 when the cloud sets "cmd" to "quit".
 * Configuration (environment, as a CI job passes it): SIM7600_PORT (or argv[1]); DSN, DEVICE_KEY, OEM_ID,
 * OEM_SECRET, OEM_MODEL, REGION to provision; RUN_SECONDS (default 120) bounds the whole run.
 * Every wait has a deadline; nothing in the protocol code allocates. */
#define _DEFAULT_SOURCE /* getenv, snprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "at_client.h"
#include "base64.h"
#include "sha256.h"

enum { SHORT_MS = 5000, CONNECT_MS = 30000, RETRIES = 3, KEY_PART = 100, OTA_WINDOW = 4096, BURST = 20 };

/* The module gave an OTA up (a bad image, one it could not fetch) and told the cloud: +ADA: "ota","err",<code>,... */
static const char OTA_ERROR[] = "+ADA: \"ota\",\"err\",";

/* The data call: up; down (dial when due); dialling (the module said OK, +CAPNET: 6,1 is due). */
typedef enum { CALL_DOWN, CALL_DIALLING, CALL_UP } call_state;

/* What the cloud asked for, noted by the URC handler and acted on by the main loop. */
typedef enum { PENDING_NONE, PENDING_HOST_OTA, PENDING_MODULE_OTA, PENDING_BURST, PENDING_QUIT } pending_work;

typedef struct {
  at_client at;
  int led;
  int led_changed;
  int link_up;          /* +ADA: "l","up" seen last, not "down" */
  pending_work pending;
  const char *awaited;           /* the line a wait is for: kept when it comes in the middle of another command */
  char awaited_line[AT_LINE_MAX];
  int awaited_seen;
  int module_ota_done; /* the module said "done" (it may, as soon as it is enabled again) */
  int ota_error;       /* +ADA: "ota","err",... came: the module gave the download up and told the cloud */
  char ota_error_line[AT_LINE_MAX];
  int ota_attempts;    /* of the OTA notified last: one cut short is tried again, a few times */
  int burst_next;      /* the next value of a burst: one cut short goes on from there, in order */
  int module_reset;    /* an RDY nobody asked for: the module lost power or reset */
  call_state call;     /* our data call (context 6), as the module's URCs tell it */
  int call_was_lost;   /* the network took it down after it was up: say so when it is back */
  int sim_ready;       /* +CPIN: READY seen last, not +CPIN: NOT READY / +SIMCARD: NOT AVAILABLE */
  uint32_t next_dial;     /* when to try the data call again */
  uint32_t dial_deadline; /* a dial the module took (OK) must come up by then */
  uint32_t run_deadline;  /* RUN_SECONDS: waiting for coverage never outlasts the run */
  const char *device;
  char ota_id[32];
  long ota_size;
  char ota_version[64];
} host;

static void say(const char *what) {
  printf("%s\n", what);
  fflush(stdout);
}

static int time_reached(uint32_t when) { return (int32_t)(when - hal_millis()) <= 0; }

/* The data call's URCs, and the SIM's: a SIM that leaves takes the call with it, and a dial in progress dies
 * without a word from the module, so the SIM's URCs are what tell the firmware to dial again, at once. */
static void track_data_call(host *h, const char *line) {
  if (strcmp(line, "+CAPNET: 6,1") == 0) {
    if (h->call != CALL_UP && h->call_was_lost) say("data call back");
    h->call = CALL_UP;
    h->call_was_lost = 0;
  } else if (strcmp(line, "+CAPNET: 6,0") == 0) {
    h->call_was_lost = h->call_was_lost || h->call == CALL_UP;
    h->call = CALL_DOWN;
    h->next_dial = hal_millis();
  } else if (strcmp(line, "+CPIN: NOT READY") == 0 || strcmp(line, "+SIMCARD: NOT AVAILABLE") == 0) {
    h->call_was_lost = h->call_was_lost || h->call == CALL_UP;
    h->call = CALL_DOWN;
    h->sim_ready = 0;
  } else if (strcmp(line, "+CPIN: READY") == 0) {
    h->sim_ready = 1;
    h->next_dial = hal_millis();
  }
}

/* A quoted field of a URC: the `index`th "..." (from 0), into `out`. */
static int quoted_field(const char *line, int index, char *out, size_t capacity) {
  const char *at = line;
  for (int i = 0; i <= index; ++i) {
    at = strchr(at, '"');
    if (!at) return 0;
    const char *end = strchr(at + 1, '"');
    if (!end) return 0;
    if (i == index) {
      const size_t length = (size_t)(end - at - 1) < capacity - 1 ? (size_t)(end - at - 1) : capacity - 1;
      memcpy(out, at + 1, length);
      out[length] = '\0';
      return 1;
    }
    at = end + 1;
  }
  return 0;
}

/* +ADA: "p","Blue_LED","b",1   +ADA: "p","cmd","s","quit"   +ADA: "ota","notify","host","id",SIZE,"VER" */
static void on_urc(const char *line, void *context) {
  host *h = context;
  char name[64], kind[16];
  if (strcmp(line, "RDY") == 0) h->module_reset = 1;
  if (strcmp(line, "+ADA: \"l\",\"up\"") == 0) h->link_up = 1;
  if (strcmp(line, "+ADA: \"l\",\"down\"") == 0) h->link_up = 0;
  track_data_call(h, line);
  if (strncmp(line, "+ADA: \"p\",", 10) == 0 && quoted_field(line, 1, name, sizeof name)) {
    if (strcmp(name, "Blue_LED") == 0) {
      h->led = line[strlen(line) - 1] == '1';
      h->led_changed = 1;
    } else if (strcmp(name, "cmd") == 0 && strstr(line, "\"quit\"")) {
      h->pending = PENDING_QUIT;
    } else if (strcmp(name, "cmd") == 0 && strstr(line, "\"burst\"")) {
      h->pending = PENDING_BURST;
      h->burst_next = 1;
    }
  } else if (strncmp(line, "+ADA: \"ota\",\"notify\",", 21) == 0 && quoted_field(line, 2, kind, sizeof kind) &&
             quoted_field(line, 3, h->ota_id, sizeof h->ota_id)) {
    if (strcmp(kind, "host") == 0) {
      const char *size = strchr(strstr(line, h->ota_id) + strlen(h->ota_id) + 1, ',');
      h->ota_size = size ? strtol(size + 1, NULL, 10) : -1;
      if (!quoted_field(line, 4, h->ota_version, sizeof h->ota_version)) h->ota_version[0] = '\0';
      h->pending = PENDING_HOST_OTA;
      h->ota_attempts = 0;
    } else if (strcmp(kind, "module") == 0 && strstr(line, "\"done\"")) {
      h->module_ota_done = 1;
    } else if (strcmp(kind, "module") == 0 && !strstr(line, "\"ready\"")) {
      h->pending = PENDING_MODULE_OTA;
      h->ota_attempts = 0;
    }
  }
  if (strncmp(line, OTA_ERROR, sizeof OTA_ERROR - 1) == 0) {
    h->ota_error = 1;
    snprintf(h->ota_error_line, sizeof h->ota_error_line, "%s", line);
  }
  if (h->awaited && !h->awaited_seen && strncmp(line, h->awaited, strlen(h->awaited)) == 0) {
    snprintf(h->awaited_line, sizeof h->awaited_line, "%s", line);
    h->awaited_seen = 1;
  }
}

/* A command that must answer OK, tried a few times. */
static int command_ok(host *h, const char *command) {
  for (int attempt = 0; attempt < RETRIES; ++attempt)
    if (at_command(&h->at, command, NULL, NULL, 0, SHORT_MS) == AT_OK) return 1;
  fprintf(stderr, "no OK to %s\n", command);
  return 0;
}

/* Keeps the data call up, never waiting: a dial when one is due (once a second while the network or the SIM
 * refuses it), and a dial the module took but never finished counts as failed after CONNECT_MS. */
static void keep_data_call(host *h) {
  if (h->call == CALL_DIALLING && time_reached(h->dial_deadline)) h->call = CALL_DOWN;
  if (h->call != CALL_DOWN || !h->sim_ready || !time_reached(h->next_dial)) return;
  h->next_dial = hal_millis() + 1000;
  if (at_command(&h->at, "AT+CAPNET=6,1", NULL, NULL, 0, SHORT_MS) != AT_OK || h->call == CALL_UP) return;
  h->call = CALL_DIALLING;
  h->dial_deadline = hal_millis() + CONNECT_MS;
}

/* Waits for a line starting with `prefix` (into `out` when given), handling every other line as a URC and keeping
 * the data call up meanwhile: the agent's answer may depend on it. A module that resets ends the wait, and so does
 * `*stop` turning non-zero (when given). */
static int await_line_or(host *h, const char *prefix, char *out, size_t capacity, uint32_t timeout_ms,
                         const int *stop) {
  const uint32_t deadline = hal_millis() + timeout_ms;
  char line[AT_LINE_MAX];
  h->awaited = prefix;
  h->awaited_seen = 0;
  while (!h->awaited_seen && !h->module_reset && !h->at.port_lost && !(stop && *stop) && !time_reached(deadline)) {
    if (at_read_line(&h->at, line, sizeof line, 200)) on_urc(line, h);
    if (!h->awaited_seen) keep_data_call(h);
  }
  h->awaited = NULL;
  if (h->awaited_seen && out) snprintf(out, capacity, "%s", h->awaited_line);
  return h->awaited_seen;
}

static int await_line(host *h, const char *prefix, char *out, size_t capacity, uint32_t timeout_ms) {
  return await_line_or(h, prefix, out, capacity, timeout_ms, NULL);
}

/* Serves URCs and keeps the data call for `ms` (a pause before trying a refused request again). */
static void serve_for(host *h, uint32_t ms) {
  await_line(h, "\n", NULL, 0, ms); /* no line starts with a newline: it waits the whole time */
}

/* A command answered OK, then the URC that says it is done. */
static int command_then(host *h, const char *command, const char *urc, uint32_t timeout_ms) {
  return command_ok(h, command) && await_line(h, urc, NULL, 0, timeout_ms);
}

/* No coverage or no SIM yet is no reason to give up: dial until the call is up, for as long as the run lasts. */
static int wait_for_data_call(host *h) {
  char line[AT_LINE_MAX];
  while (h->call != CALL_UP && !time_reached(h->run_deadline)) {
    keep_data_call(h);
    if (at_read_line(&h->at, line, sizeof line, 200)) on_urc(line, h);
    if (h->at.port_lost) return 0;
  }
  return h->call == CALL_UP;
}

/* Sample 4.1's network bring-up, and the service started. */
static int bring_up(host *h) {
  h->call = CALL_DOWN; /* a fresh module, or one just rebooted: no call yet, no link */
  h->link_up = 0;
  h->sim_ready = 1;    /* until the module says otherwise */
  h->next_dial = hal_millis();
  return command_ok(h, "ATE0") && command_ok(h, "AT+CGDCONT=6,\"IP\",\"3gnet\"") && wait_for_data_call(h) &&
         command_ok(h, "AT+CHTTPSERV=\"ADD\",\"www.baidu.com\",80,1") &&
         command_then(h, "AT+CHTTPUPDATE", "+CHTTPUPDATE: 0", CONNECT_MS) &&
         command_then(h, "AT+ADA=\"start\"", "+ADA: \"start\",\"done\"", SHORT_MS);
}

static int config_set(host *h, const char *name, const char *value) {
  char command[AT_LINE_MAX];
  snprintf(command, sizeof command, "AT+ADA=\"cs\",\"%s\",\"%s\"", name, value);
  return command_ok(h, command);
}

/* Sample 4.1's identity: the DSN, the device key in parts (st, ss..., sn), the OEM. Skipped without a DSN.
 * Written at every bring-up: cs is idempotent, so a module that lost power in the middle is simply written again. */
static int provision(host *h) {
  const char *dsn = getenv("DSN"), *key = getenv("DEVICE_KEY");
  if (!dsn || !key) return 1;
  printf("provisioning %s\n", dsn);
  fflush(stdout);
  if (!config_set(h, "id/dev_id", dsn)) return 0;
  const size_t length = strlen(key);
  for (size_t at = 0; at < length; at += KEY_PART) {
    const char *part = at == 0 ? "st" : at + KEY_PART >= length ? "sn" : "ss";
    char command[AT_LINE_MAX];
    snprintf(command, sizeof command, "AT+ADA=\"cs\",\"id/key\",\"%s\",\"%.*s\"", part, KEY_PART, key + at);
    if (!command_ok(h, command)) return 0;
  }
  const char *model = getenv("OEM_MODEL"), *region = getenv("REGION");
  return config_set(h, "oem/id", getenv("OEM_ID") ? getenv("OEM_ID") : "") &&
         config_set(h, "oem/model", model ? model : "ledevb") && config_set(h, "server/region", region ? region : "US") &&
         config_set(h, "oem/secret", getenv("OEM_SECRET") ? getenv("OEM_SECRET") : "");
}

/* Enable until RDY (an error is retried), then listen until up. */
static int connect_cloud(host *h) {
  for (int attempt = 0; attempt < RETRIES; ++attempt) {
    char answer[AT_LINE_MAX];
    if (!command_ok(h, "AT+ADA=\"enable\"")) return 0;
    if (!await_line(h, "+ADA: \"enable\",", answer, sizeof answer, CONNECT_MS)) continue;
    if (strstr(answer, "\"RDY\"")) return command_then(h, "AT+ADA=\"l\"", "+ADA: \"l\",\"up\"", CONNECT_MS);
    fprintf(stderr, "enable: %s\n", answer);
  }
  return 0;
}

/* A pipelined burst of values (the cloud's "burst" command): each send answered OK is the agent's to deliver, in
 * order, across a lost link; one refused (agent busy, link down, queue full) is sent again after a pause, so none
 * is skipped and the order holds. */
static int send_burst(host *h) {
  char command[64], refusal[AT_LINE_MAX];
  while (h->burst_next <= BURST) {
    if (h->module_reset || h->at.port_lost) return 0;
    snprintf(command, sizeof command, "AT+ADA=\"s\",\"counter\",\"i\",\"%d\"", h->burst_next);
    refusal[0] = '\0';
    if (at_command(&h->at, command, "+ADA: \"s\",\"err\"", refusal, sizeof refusal, SHORT_MS) == AT_OK) {
      ++h->burst_next;
      continue;
    }
    fprintf(stderr, "counter=%d refused, again in a second: %s\n", h->burst_next, refusal);
    serve_for(h, 1000);
  }
  say("burst sent");
  return 1;
}

static int report_led(host *h) {
  char command[64], status[64];
  snprintf(command, sizeof command, "AT+ADA=\"s\",\"Blue_LED\",\"b\",\"%d\"", h->led);
  snprintf(status, sizeof status, "+ADA: \"s\",\"Blue_LED\",\"status\",0");
  if (!command_then(h, command, status, CONNECT_MS)) return 0;
  printf("led=%d\n", h->led);
  fflush(stdout);
  return 1;
}

/* A host image in windows: each part line decoded and hashed as it comes; the status tells the cloud. */
static int host_ota(host *h) {
  sha256_context hash;
  sha256_start(&hash);
  char command[128], line[AT_LINE_MAX], finish[96], part_prefix[64], ok_prefix[64];
  snprintf(finish, sizeof finish, "+ADA: \"ota\",\"dl\",\"host\",\"%s\",\"finish\"", h->ota_id);
  snprintf(part_prefix, sizeof part_prefix, "+ADA: \"ota\",\"part\",\"%s\",\"", h->ota_id);
  snprintf(ok_prefix, sizeof ok_prefix, "+ADA: \"ota\",\"ok\",\"%s\",\"", h->ota_id);
  int finished = 0, failed = 0;
  printf("host OTA %s: %ld bytes, downloading\n", h->ota_id, h->ota_size);
  fflush(stdout);
  while (!finished && !failed && (long)hash.length < h->ota_size) {
    snprintf(command, sizeof command, "AT+ADA=\"ota\",\"dl\",\"host\",\"%s\",%d", h->ota_id, OTA_WINDOW);
    if (!command_ok(h, command)) return 0;
    uint32_t silent_until = hal_millis() + CONNECT_MS;
    for (int window_done = 0; !window_done;) {
      /* A link lost mid-window is the module's to mend: it finishes the window once the link is back. A module
       * reset, or a window silent for CONNECT_MS with the link up, ends this download; it starts again later.
       * Only while the link is down may a dial go out here: no part line can come then to be taken for a URC. */
      if (!h->link_up) {
        silent_until = hal_millis() + CONNECT_MS;
        keep_data_call(h);
      }
      if (h->module_reset || h->at.port_lost || time_reached(silent_until) || time_reached(h->run_deadline)) return 0;
      if (!at_read_line(&h->at, line, sizeof line, 200)) continue;
      silent_until = hal_millis() + CONNECT_MS;
      const int is_part = strncmp(line, part_prefix, strlen(part_prefix)) == 0;
      const int is_ok = strncmp(line, ok_prefix, strlen(ok_prefix)) == 0;
      if (strcmp(line, finish) == 0) {
        finished = window_done = 1;
      } else if (strncmp(line, OTA_ERROR, sizeof OTA_ERROR - 1) == 0) {
        printf("host OTA %s: failed: %s\n", h->ota_id, line); /* the status below tells the cloud, if it still can */
        fflush(stdout);
        failed = window_done = 1;
      } else if (is_part || is_ok) {
        const char *data = line + strlen(is_part ? part_prefix : ok_prefix);
        uint8_t bytes[AT_LINE_MAX];
        const int size = base64_decode(data, strlen(data) - 1, bytes, sizeof bytes); /* without the closing quote */
        if (size < 0) failed = window_done = 1;
        else sha256_add(&hash, bytes, (size_t)size);
        window_done = window_done || is_ok;
      } else {
        on_urc(line, h);
      }
    }
  }
  if (!finished && !failed) finished = at_wait_for(&h->at, finish, NULL, 0, SHORT_MS);
  const long received = (long)hash.length;
  uint8_t digest[32];
  sha256_finish(&hash, digest);
  char hex[65];
  for (int i = 0; i < 32; ++i) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  printf("host image %s: %ld bytes, sha256 %s\n", h->ota_version, received, hex);
  fflush(stdout);
  /* 0 tells the cloud the image is good: every byte came and decoded. */
  snprintf(command, sizeof command, "AT+ADA=\"ota\",\"status\",\"host\",\"%s\",%d", h->ota_id,
           finished && !failed && received == h->ota_size ? 0 : 1);
  /* A failed image is not fetched again: the module refuses a status for an OTA it already gave up. */
  return command_ok(h, command) || failed;
}

/* A module image: download, apply, and after the module's reboot the whole bring-up again (note §5.1.13). */
static int module_ota(host *h) {
  char command[128], ready[96], line[AT_LINE_MAX];
  snprintf(ready, sizeof ready, "+ADA: \"ota\",\"notify\",\"module\",\"%s\",\"ready\"", h->ota_id);
  h->module_ota_done = 0;
  snprintf(command, sizeof command, "AT+ADA=\"ota\",\"dl\",\"module\",\"%s\"", h->ota_id);
  printf("module OTA %s: downloading\n", h->ota_id);
  fflush(stdout);
  h->ota_error = 0;
  if (!command_ok(h, command) || !await_line_or(h, ready, NULL, 0, 5 * CONNECT_MS, &h->ota_error)) {
    if (!h->ota_error) return 0; /* cut short: tried again */
    /* A bad image (size, checksum) or one that cannot be had: the module told the cloud, nothing to try again. */
    printf("module OTA %s: failed: %s\n", h->ota_id, h->ota_error_line);
    fflush(stdout);
    return 1;
  }
  printf("module OTA %s: applying\n", h->ota_id);
  fflush(stdout);
  snprintf(command, sizeof command, "AT+ADA=\"ota\",\"apply\",\"module\",\"%s\"", h->ota_id);
  /* The reboot is expected here: wait for its last boot URC without taking it for a reset. */
  if (!command_ok(h, command) || !at_wait_for(&h->at, "PB DONE", NULL, 0, CONNECT_MS)) return 0;
  h->module_reset = 0; /* the reboot was the OTA's */
  say("module rebooted into its new firmware");
  if (!bring_up(h) || !connect_cloud(h)) return 0;
  const uint32_t deadline = hal_millis() + CONNECT_MS;
  while (!h->module_ota_done && (int32_t)(deadline - hal_millis()) > 0)
    if (at_read_line(&h->at, line, sizeof line, 200)) on_urc(line, h);
  if (h->module_ota_done) say("module OTA done");
  return h->module_ota_done;
}

/* The cloud's work, once the link is up. Work cut short (the link lost, the module reset) stays pending and runs
 * again when the link is back; an OTA that keeps failing is left to the cloud's job after a few attempts. */
static void run_pending(host *h) {
  const pending_work work = h->pending;
  h->pending = PENDING_NONE;
  int finished = 1;
  if (work == PENDING_HOST_OTA) finished = host_ota(h);
  if (work == PENDING_MODULE_OTA) finished = module_ota(h);
  if (work == PENDING_BURST) finished = send_burst(h);
  if (finished || h->pending != PENDING_NONE) return; /* done, or newer work came meanwhile */
  if (work == PENDING_BURST || ++h->ota_attempts < RETRIES) {
    h->pending = work;
    say("work cut short: again once the link is up");
  } else {
    say("OTA given up after a few attempts");
  }
}

static int wait_for_module(host *h);

/* 1-4 of the list above: from a module that answers AT to one whose agent listens. */
static int start_module(host *h) {
  return wait_for_module(h) && bring_up(h) && provision(h) && connect_cloud(h);
}

/* After a module reset: the UART again (the emulator's PTY is a new one after a restart), then all of the
 * bring-up, provisioning included (a reset in the middle of it may have cut it short). */
static int recover(host *h) {
  uart_close(h->at.port);
  uart *port = NULL;
  for (uint32_t until = hal_millis() + CONNECT_MS; !port && (int32_t)(until - hal_millis()) > 0;) {
    port = uart_open(h->device);
    if (!port) hal_delay_ms(100); /* the port is not back yet */
  }
  if (!port) return 0;
  at_init(&h->at, port, on_urc, h);
  if (!start_module(h)) return 0;
  say("recovered after a module reset");
  return 1;
}

/* The module answers AT once it has booted, after its boot URCs: their RDY is this boot's, not a reset. */
static int wait_for_module(host *h) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    if (at_command(&h->at, "AT", NULL, NULL, 0, 1000) != AT_OK) continue;
    h->module_reset = 0;
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *device = argc > 1 ? argv[1] : getenv("SIM7600_PORT");
  const char *run_seconds = getenv("RUN_SECONDS");
  const uint32_t deadline = hal_millis() + 1000u * (uint32_t)(run_seconds ? atoi(run_seconds) : 120);
  if (!device) {
    fprintf(stderr, "usage: host-mcu PORT (or SIM7600_PORT=PORT)\n");
    return 2;
  }
  uart *port = uart_open(device);
  if (!port) {
    fprintf(stderr, "cannot open %s\n", device);
    return 2;
  }
  static host h; /* static: the MCU's RAM, not the stack */
  h.device = device;
  h.run_deadline = deadline;
  at_init(&h.at, port, on_urc, &h);
  h.led = 1;
  int up = start_module(&h);
  /* The module reset under the bring-up (power lost while it was being provisioned): all of it again. */
  for (int resets = 0; !up && (h.module_reset || h.at.port_lost) && resets < RETRIES; ++resets) up = recover(&h);
  if (!up || !report_led(&h)) {
    fprintf(stderr, "bring-up failed\n");
    return 1;
  }
  say("connected");
  char line[AT_LINE_MAX];
  while ((int32_t)(deadline - hal_millis()) > 0) {
    if (at_read_line(&h.at, line, sizeof line, 200)) on_urc(line, &h);
    int ok = 1;
    if (h.led_changed) {
      h.led_changed = 0;
      printf("led=%d\n", h.led); /* the MCU drives its LED here */
      fflush(stdout);
    }
    if (h.pending == PENDING_QUIT) {
      say("quit");
      uart_close(h.at.port);
      return 0;
    }
    if (h.pending != PENDING_NONE && h.link_up) run_pending(&h);
    if (h.at.port_lost || h.module_reset) ok = recover(&h);
    if (ok) keep_data_call(&h);
    if (!ok) {
      fprintf(stderr, "lost the module\n");
      return 1;
    }
  }
  fprintf(stderr, "RUN_SECONDS passed\n");
  return 3;
}
