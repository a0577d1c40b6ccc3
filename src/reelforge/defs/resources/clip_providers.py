"""Motion clips: fal.ai, Veo and Sora image-to-video jobs, then the local Ken Burns clip."""

from collections.abc import Callable, Sequence
from pathlib import Path

from reelforge.constants import FPS
from reelforge.defs.resources.provider_set import Endpoint, ProviderSet
from reelforge.lib.clips_local import LOCAL_MODEL, ken_burns_clip
from reelforge.lib.media import sha256_file
from reelforge.lib.models import Motion
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.chain import Served, run_chain
from reelforge.lib.providers.clip_spec import ClipRequest
from reelforge.lib.providers.clips_remote import CLIENTS
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.jobs import PollSettings
from reelforge.lib.providers.registry import LOCAL
from reelforge.lib.render.process import RenderError

LOCAL_PROVIDER = "local-kenburns"


def auth_headers(ep: Endpoint) -> dict[str, str]:
    """Each video API's own way of presenting the key."""
    if ep.protocol == "fal":
        return {"Authorization": f"Key {ep.api_key}"}
    if ep.protocol == "veo":
        return {"x-goog-api-key": ep.api_key}
    return {"Authorization": f"Bearer {ep.api_key}"}


class ClipProviders(ProviderSet):
    """Makes a scene's motion clip through the channel's chain, Ken Burns on the still last.

    A remote clip is booked once, when it has been generated *and* downloaded (a refusal, a
    job pending past `deadline_seconds` or an expired link costs nothing and moves on down
    the chain); a re-run with the same still, prompt, length and tier reuses the stored clip
    and calls nobody.
    """

    poll_interval: float = 10.0
    poll_max_interval: float = 60.0
    deadline_seconds: float = 900.0
    download_attempts: int = 3
    fps: int = FPS
    preset: str = "veryfast"

    def clip(
        self,
        still_path: Path,
        *,
        prompt: str,
        motion: Motion,
        seconds: float,
        size: tuple[int, int],
        wanted: Sequence[str],
        booker: Booker,
    ) -> Served[Path]:
        """The clip's path in the media store, and which provider made it."""
        request = ClipRequest(Path(still_path), prompt, seconds, size[0], size[1])
        digest = sha256_file(request.still)
        steps = [
            (name, self._step(name, request, motion, digest, booker)) for name in self.chain(wanted)
        ]
        return run_chain("clips", steps)

    def _step(
        self, name: str, request: ClipRequest, motion: Motion, digest: str, booker: Booker
    ) -> Callable[[], Path]:
        if name == LOCAL:
            return lambda: self._local(request, motion, digest, booker)
        return lambda: self._remote(self.endpoint(name), request, digest, booker)

    def poll_settings(self) -> PollSettings:
        return PollSettings(
            interval=self.poll_interval,
            max_interval=self.poll_max_interval,
            deadline=self.deadline_seconds,
            download_attempts=self.download_attempts,
        )

    def _remote(self, ep: Endpoint, request: ClipRequest, digest: str, booker: Booker) -> Path:
        client_type = CLIENTS.get(ep.protocol)
        if client_type is None:
            raise ProviderError(ep.name, f"no motion clip client for protocol {ep.protocol!r}")
        with self.http(ep, auth_headers(ep)) as http:
            client = client_type(http, ep.model, self.poll_settings())
            spec = client.spec(request)
            # Priced before anything is submitted: a missing price is a config error, not a
            # clip we have paid for and cannot book.
            cost = self.prices().clip(ep.name, ep.model, spec.seconds, spec.resolution)

            def call() -> Priced:
                with booker.store.work_folder() as tmp:
                    result = client.generate(request, Path(tmp) / "clip.mp4")
                    data = result.path.read_bytes()
                return Priced(data, "seconds", spec.seconds, cost, ".mp4")

            # What is ordered names the request: a scene re-timed by a few frames, or a
            # preview render size within the same tier, reuses the clip already paid for.
            ordered = {"still": digest, "prompt": request.prompt, "seconds": spec.seconds,
                       "resolution": spec.resolution,
                       "portrait": request.height > request.width}  # fmt: skip
            payload, _ = booker.call(ep.name, ep.model, ordered, call, cost)
        return _stored(booker, payload)

    def _local(self, request: ClipRequest, motion: Motion, digest: str, booker: Booker) -> Path:
        def call() -> Priced:
            with booker.store.work_folder() as tmp:
                try:
                    out = ken_burns_clip(
                        request.still, Path(tmp) / "clip.mp4", motion=motion,
                        seconds=request.seconds, width=request.width, height=request.height,
                        fps=self.fps, preset=self.preset,
                    )  # fmt: skip
                except (RenderError, ValueError) as exc:
                    raise ProviderError(LOCAL_PROVIDER, str(exc)[-300:]) from None
                data = out.read_bytes()
            return Priced(data, "seconds", round(request.seconds, 3), 0.0, ".mp4")

        asked = {"still": digest, "motion": motion, "seconds": round(request.seconds, 3),
                 "size": [request.width, request.height], "fps": self.fps}  # fmt: skip
        payload, _ = booker.call(LOCAL_PROVIDER, LOCAL_MODEL, asked, call)
        return _stored(booker, payload)


def _stored(booker: Booker, payload: bytes) -> Path:
    # The Booker stored these bytes already; the same content gets the same key.
    return booker.store.path(booker.store.put_bytes(payload, ".mp4"))
