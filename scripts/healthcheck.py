"""The Docker image's HEALTHCHECK: GET /up on the public port, as a client would reach it
(Caddy, then gunicorn, which checks the database and the hub). Exit 0 when it answers 200,
otherwise 1, with one line saying why (Docker keeps it in `docker inspect`)."""

import os
import sys
import urllib.error
import urllib.request


def main():
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8080')}/up"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            print(f"healthy: {response.read(500).decode(errors='replace')}")
            return 0
    except urllib.error.HTTPError as error:
        print(f"unhealthy: {url} answered {error.code}: {error.read(500).decode(errors='replace')}")
    except OSError as error:
        print(f"unhealthy: {url} unreachable ({error})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
