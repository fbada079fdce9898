"""A stand-in CRI runtime for the client's tests: records every request, answers from a script.

PYTHONPATH=lab/cri /usr/bin/python3 fake_cri.py SOCKET RECORD   (Debian's grpcio, as the kubelet)

Each call appends one JSON line to RECORD: {"rpc": name, "request": the request as a dict}.
Sandboxes live in memory; a pod named "broken" fails in RunPodSandbox the way containerd fails
when CNI ADD does.
"""

import json
import sys
from concurrent import futures
from pathlib import Path

import grpc
import stubs  # lab/cri/stubs.py, on PYTHONPATH
from google.protobuf.json_format import MessageToDict

api, api_grpc = stubs.load()


class Runtime(api_grpc.RuntimeServiceServicer):
    def __init__(self, record: Path) -> None:
        self.record = record
        self.sandboxes: dict[str, object] = {}

    def log(self, rpc: str, request: object) -> None:
        line = json.dumps({"rpc": rpc, "request": MessageToDict(request)})
        with self.record.open("a", encoding="utf-8") as record:
            record.write(line + "\n")

    def Status(self, request, context):  # noqa: N802 - gRPC method names
        self.log("Status", request)
        conditions = [
            api.RuntimeCondition(type="RuntimeReady", status=True),
            api.RuntimeCondition(
                type="NetworkReady",
                status=False,
                reason="NetworkPluginNotReady",
                message="Network plugin returns error: cni plugin not initialized",
            ),
        ]
        return api.StatusResponse(status=api.RuntimeStatus(conditions=conditions))

    def UpdateRuntimeConfig(self, request, context):  # noqa: N802
        self.log("UpdateRuntimeConfig", request)
        return api.UpdateRuntimeConfigResponse()

    def RunPodSandbox(self, request, context):  # noqa: N802
        self.log("RunPodSandbox", request)
        sandbox_id = f"{len(self.sandboxes) + 1:x}" * 64
        if request.config.metadata.name == "broken":
            context.abort(
                grpc.StatusCode.UNKNOWN,
                f'failed to setup network for sandbox "{sandbox_id}": no IP addresses available',
            )
        self.sandboxes[sandbox_id] = request.config
        return api.RunPodSandboxResponse(pod_sandbox_id=sandbox_id)

    def ListPodSandbox(self, request, context):  # noqa: N802
        self.log("ListPodSandbox", request)
        wanted = dict(request.filter.label_selector)
        items = [
            api.PodSandbox(
                id=sandbox_id, metadata=config.metadata, created_at=index, labels=config.labels
            )
            for index, (sandbox_id, config) in enumerate(self.sandboxes.items())
            if wanted.items() <= dict(config.labels).items()
        ]
        return api.ListPodSandboxResponse(items=items)

    def PodSandboxStatus(self, request, context):  # noqa: N802
        self.log("PodSandboxStatus", request)
        network = api.PodSandboxNetworkStatus(
            ip="10.244.1.2", additional_ips=[api.PodIP(ip="2001:db8:244:1::2")]
        )
        status = api.PodSandboxStatus(id=request.pod_sandbox_id, network=network)
        return api.PodSandboxStatusResponse(status=status)

    def StopPodSandbox(self, request, context):  # noqa: N802
        self.log("StopPodSandbox", request)
        return api.StopPodSandboxResponse()

    def RemovePodSandbox(self, request, context):  # noqa: N802
        self.log("RemovePodSandbox", request)
        self.sandboxes.pop(request.pod_sandbox_id, None)
        return api.RemovePodSandboxResponse()


def main() -> None:
    socket, record = sys.argv[1], Path(sys.argv[2])
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    api_grpc.add_RuntimeServiceServicer_to_server(Runtime(record), server)
    server.add_insecure_port(f"unix://{socket}")
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
