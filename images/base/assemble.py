#!/usr/bin/env python3
"""Writes a Docker-format image tar (the layout `docker save` produces, which Jib reads as a `tar://` base)
from staged layer directories, byte for byte the same for the same inputs.

Every entry gets an explicit mode, owner and mtime instead of whatever the staging directory happens to
have: the caller's umask and uid must not leak into the image (a 0700 library is unreadable for the
non-root user, an entry owned by uid 1000 would belong to a random account in the container).

  assemble.py --out image.tar --tag NAME:TAG --layer "DESCRIPTION=DIR" [--layer ...]
              --env K=V ... --user UID:GID --workdir DIR --label K=V ...
              [--entry PATH=MODE:UID:GID ...]
              [--entrypoint JSON-ARRAY] [--cmd JSON-ARRAY] [--expose PORT[/PROTO] ...]

Also used by scripts/build-cluster-images for the local cluster's images (entrypoint, command and ports as
upstream's Dockerfiles declare them).
"""
import argparse
import hashlib
import io
import json
import os
import stat
import sys
import tarfile

# Jib writes files with EPOCH_PLUS_SECOND; use the same so base and application layers look alike.
MTIME = 1
CREATED = "1970-01-01T00:00:00Z"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--tag", required=True)
    p.add_argument("--layer", action="append", required=True, help="DESCRIPTION=DIR, in layer order")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--label", action="append", default=[])
    p.add_argument("--user", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--entry", action="append", default=[],
                   help="PATH=MODE:UID:GID override for one entry (e.g. tmp=1777:0:0)")
    p.add_argument("--entrypoint", help='JSON array, e.g. ["/usr/local/bin/temporal-server","start"]')
    p.add_argument("--cmd", help="JSON array of default arguments")
    p.add_argument("--expose", action="append", default=[], help="PORT or PORT/PROTO (tcp when omitted)")
    return p.parse_args()


def json_array(text, what):
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        sys.exit(f"assemble.py: --{what} '{text}' is not JSON: {e}")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        sys.exit(f"assemble.py: --{what} '{text}' must be a JSON array of strings")
    return value


def split_pair(text, what):
    if "=" not in text:
        sys.exit(f"assemble.py: {what} '{text}' must look like KEY=VALUE")
    key, value = text.split("=", 1)
    return key, value


def normalised_mode(st):
    """0755 for directories and anything executable, 0644 for other files: no setuid, no group/other write."""
    if stat.S_ISDIR(st.st_mode):
        return 0o755
    if stat.S_ISLNK(st.st_mode):
        return 0o777
    return 0o755 if st.st_mode & 0o111 else 0o644


def layer_bytes(root, overrides):
    """One uncompressed layer tar: entries sorted by path, parents before children."""
    entries = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in dirnames + filenames:
            entries.append(os.path.relpath(os.path.join(dirpath, name), root))
    entries.sort()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in entries:
            full = os.path.join(root, rel)
            st = os.lstat(full)
            info = tarfile.TarInfo(rel)
            info.mtime = MTIME
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mode = normalised_mode(st)
            if rel in overrides:
                info.mode, info.uid, info.gid = overrides[rel]
            if stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                tar.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                info.size = st.st_size
                with open(full, "rb") as f:
                    tar.addfile(info, f)
            else:
                sys.exit(f"assemble.py: {full} is neither a directory, a symlink nor a regular file")
    return buf.getvalue()


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.mtime = MTIME
    info.mode = 0o644
    info.uname = info.gname = ""
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def main():
    args = parse_args()
    overrides = {}
    for spec in args.entry:
        path, rest = split_pair(spec, "--entry")
        try:
            mode, uid, gid = rest.split(":")
            overrides[path.strip("/")] = (int(mode, 8), int(uid), int(gid))
        except ValueError:
            sys.exit(f"assemble.py: --entry '{spec}' must look like PATH=MODE:UID:GID (octal mode, numeric ids)")

    layers = []
    for spec in args.layer:
        # The description may contain '=' (package versions); the directory never does.
        description, _, directory = spec.rpartition("=")
        if not os.path.isdir(directory):
            sys.exit(f"assemble.py: layer directory {directory} does not exist")
        data = layer_bytes(directory, overrides)
        layers.append((description, data, hashlib.sha256(data).hexdigest()))

    labels = dict(split_pair(label, "--label") for label in args.label)
    image_config = {
        "Env": args.env,
        "User": args.user,
        "WorkingDir": args.workdir,
        "Labels": labels,
    }
    if args.entrypoint is not None:
        image_config["Entrypoint"] = json_array(args.entrypoint, "entrypoint")
    if args.cmd is not None:
        image_config["Cmd"] = json_array(args.cmd, "cmd")
    if args.expose:
        ports = {}
        for spec in args.expose:
            port, _, proto = spec.partition("/")
            if not port.isdigit() or proto not in ("", "tcp", "udp"):
                sys.exit(f"assemble.py: --expose '{spec}' must look like PORT or PORT/tcp or PORT/udp")
            ports[f"{port}/{proto or 'tcp'}"] = {}
        image_config["ExposedPorts"] = ports
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": CREATED,
        "config": image_config,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest for _, _, digest in layers]},
        "history": [{"created": CREATED, "created_by": description} for description, _, _ in layers],
    }
    config_bytes = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest = [{
        "Config": config_name,
        "RepoTags": [args.tag],
        "Layers": [digest + "/layer.tar" for _, _, digest in layers],
    }]

    tmp = args.out + ".partial"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for _, data, digest in layers:
            add_bytes(tar, digest + "/layer.tar", data)
        add_bytes(tar, config_name, config_bytes)
        add_bytes(tar, "manifest.json", json.dumps(manifest, separators=(",", ":")).encode())
    os.replace(tmp, args.out)
    for description, data, digest in layers:
        print(f"assemble.py: layer sha256:{digest[:12]} {len(data) / 1048576:6.1f} MiB  {description}")


if __name__ == "__main__":
    main()
