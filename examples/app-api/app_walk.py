#!/usr/bin/python3
"""The walk an Ayla app makes, with Python's standard library only (urllib, ssl), against ads-sim.

Signs in, lists the user's devices, reads the device's properties, reads the newest datapoint of a from-device
property, sets a to-device property (the module prints +ADA: "p",...), refreshes the tokens, signs out, and checks
that the signed-out token is refused. Prints one line per step; exits 0 when every step went as Ayla's clients
expect, 1 (with the reason on stderr) otherwise.

  app_walk.py --base https://127.0.0.1:8443 --ca DATA_DIR/ca.pem --app-id ID --app-secret SECRET \\
      --email ann@example.com --password PASS --dsn AC000W000000001 \\
      --set Blue_LED=1 --read temp --expect 22
"""
import argparse
import json
import ssl
import sys
import urllib.error
import urllib.request


class WalkError(Exception):
    pass


class App:
    """One app session: the base URL, the service's CA, and the user's tokens once signed in."""

    def __init__(self, base, ca_file):
        self.base = base.rstrip("/")
        self.tls = ssl.create_default_context(cafile=ca_file)
        self.access_token = None
        self.refresh_token = None

    def call(self, method, path, body=None, token=None):
        """(status, decoded JSON body or None) of one request."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "auth_token " + token
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, context=self.tls, timeout=30) as answer:
                status, text = answer.status, answer.read()
        except urllib.error.HTTPError as refused:
            status, text = refused.code, refused.read()
        return status, (json.loads(text) if text else None)

    def expect(self, wanted, method, path, body=None, token=None):
        status, answer = self.call(method, path, body, token)
        if status != wanted:
            raise WalkError(f"{method} {path}: HTTP {status}, wanted {wanted}: {answer}")
        return answer

    def take_tokens(self, answer):
        for field in ("access_token", "refresh_token", "expires_in"):
            if field not in answer:
                raise WalkError(f"the token answer lacks {field}: {answer}")
        self.access_token, self.refresh_token = answer["access_token"], answer["refresh_token"]


def walk(args):
    app = App(args.base, args.ca)
    login = {"user": {"email": args.email, "password": args.password,
                      "application": {"app_id": args.app_id, "app_secret": args.app_secret}}}
    app.take_tokens(app.expect(200, "POST", "/users/sign_in.json", login))
    print("signed in")

    devices = [entry["device"] for entry in app.expect(200, "GET", "/apiv1/devices.json", token=app.access_token)]
    if args.dsn not in [device["dsn"] for device in devices]:
        raise WalkError(f"{args.dsn} is not among the user's devices: {devices}")
    print(f"devices: {', '.join(device['dsn'] for device in devices)}")

    base = f"/apiv1/dsns/{args.dsn}/properties"
    properties = {entry["property"]["name"]: entry["property"]
                  for entry in app.expect(200, "GET", base + ".json", token=app.access_token)}
    name, value = args.set.split("=", 1)
    if name not in properties or properties[name]["read_only"]:
        raise WalkError(f"{name} is not a settable property: {sorted(properties)}")
    print(f"properties: {', '.join(sorted(properties))}")

    points = app.expect(200, "GET", f"{base}/{args.read}/datapoints.json?limit=1", token=app.access_token)
    newest = points[-1]["datapoint"]["value"] if points else None
    if str(newest) != args.expect:
        raise WalkError(f"the newest {args.read} datapoint is {newest}, wanted {args.expect}")
    print(f"{args.read}: {newest}")

    point = app.expect(201, "POST", f"{base}/{name}/datapoints.json", {"datapoint": {"value": int(value)}},
                       app.access_token)
    print(f"set {name}: {point['datapoint']['value']}")

    old = app.access_token
    app.take_tokens(app.expect(200, "POST", "/users/refresh_token.json", {"user": {"refresh_token": app.refresh_token}}))
    if app.access_token == old:
        raise WalkError("refresh gave the same access token")
    print("refreshed")

    app.expect(200, "POST", "/users/sign_out.json", {"user": {"access_token": app.access_token}})
    refused = app.expect(401, "GET", "/apiv1/devices.json", token=app.access_token)
    print(f"signed out: the token is refused ({refused['error']['message']})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for flag in ("--base", "--ca", "--app-id", "--app-secret", "--email", "--password", "--dsn", "--set", "--read",
                 "--expect"):
        parser.add_argument(flag, required=True)
    try:
        walk(parser.parse_args())
    except (WalkError, OSError, ValueError, KeyError) as error:
        print(f"app_walk: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
