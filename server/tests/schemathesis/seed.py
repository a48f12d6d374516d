"""Seeds the fuzzed server with real objects, so schemathesis reaches past 404: a complete
OIDC submission, an instance of it in the tester, a test run, a test user. Prints a
TOML dictionary of ids per kind (run.sh appends them to the config, whose parameters draw
path and body ids from them).

    seed.py ORIGIN        (the session cookie in OIN_SESSION)
"""

import json
import os
import sys

import requests

LOGO_GIF = "R0lGODlhyADIAIAAAAAAAP///ywAAAAAAQABAAACAkQBADs="


def main() -> None:
    origin = sys.argv[1]
    http = requests.Session()
    http.cookies.set("oin_session", os.environ["OIN_SESSION"])
    http.headers["Origin"] = origin

    def call(method: str, path: str, body: object | None = None) -> dict:
        response = http.request(method, origin + path, json=body, timeout=30)
        if response.status_code != 200:
            sys.exit(f"seed: {method} {path} answered {response.status_code}: {response.text}")
        return response.json()

    submission = call("POST", "/api/v1/submissions", {})
    sid = submission["id"]
    submission["protocols"] = {"oidc": True, "saml": False, "scim": False}
    submission["catalog"] = {
        "displayName": "Seeded Strawberry",
        "description": "A submission for schemathesis to find.",
        "logo": {"fileName": "strawberry.gif", "mediaType": "image/gif", "data": LOGO_GIF},
        "useCases": [],
    }
    submission["oidc"] = {
        "redirectUris": ["https://strawberry.example.org/login"],
        "initiateLoginUri": "",
        "postLogoutUris": [],
        "configGuideUrl": "https://strawberry.example.org/docs/okta",
    }
    submission["testSettings"]["oidc"] = {
        "jit": False,
        "spInitiateUrl": "https://strawberry.example.org/sso",
    }
    call("PUT", f"/api/v1/submissions/{sid}", submission)
    instance = call(
        "POST",
        "/api/v1/instances",
        {"submissionId": sid, "version": "current", "protocols": ["oidc"], "label": "Seeded", "variableValues": {}},
    )
    iid = instance["id"]
    call("POST", f"/api/v1/instances/{iid}/tester", {})
    call("POST", "/api/v1/tester/session", {})
    run = call("POST", "/api/v1/test-runs", {"instanceId": iid, "case": "spFlow", "version": "current"})
    user = call(
        "POST",
        "/api/v1/users",
        {"id": "", "email": "tess@strawberry.example", "firstName": "Tess", "lastName": "Tester", "roles": []},
    )
    for name, value in [("submissions", sid), ("instances", iid), ("runs", run["id"]), ("users", user["id"])]:
        print(f"\n[dictionaries.{name}]\nvalues = {json.dumps([value])}")


if __name__ == "__main__":
    main()
