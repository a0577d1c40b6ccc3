"""Scene pictures: OpenAI Images, Stability and fal.ai, then the local Pillow artist.

Remote models get the optimiser's shot-aware prompt; the local artist reads the plain visual
idea (its keyword reader is tuned for that). Every picture, remote or local, is one ledger
row booked through the Booker, so a re-run finds each scene's earlier answer and asks (and
pays) nobody again. Title cards stay local: models do not draw text reliably; Pillow does.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from reelforge.defs.resources.provider_set import Endpoint, ProviderSet
from reelforge.lib import artist
from reelforge.lib.prompt_optimizer import ShotPrompt, optimize
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.chain import Attempt, Served, run_chain
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.images_remote import ImageModel, client_for, fit, model_size
from reelforge.lib.providers.jobs import PollSettings
from reelforge.lib.providers.registry import LOCAL

LOCAL_PROVIDER, LOCAL_MODEL = "pillow-artist", "procedural-v1"


def _auth(ep: Endpoint) -> dict[str, str]:
    if not ep.api_key:
        return {}
    if ep.protocol == "fal":
        return {"Authorization": f"Key {ep.api_key}"}
    return {"Authorization": f"Bearer {ep.api_key}"}


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")  # same bytes as artist.save_png: one blob in the store
    return out.getvalue()


@dataclass(frozen=True)
class _Ask:
    """One provider's way of drawing one scene: what is booked, and how to call it."""

    chain_name: str
    provider: str
    model: str
    request: dict[str, Any]
    call: Callable[[], Priced]
    estimate_usd: float = 0.0


class ImageProviders(ProviderSet):
    """Draws each scene through the channel's chain of image models (local Pillow last)."""

    poll_interval: float = 2.0
    poll_deadline: float = 300.0

    def scene(
        self,
        prompt: str,
        *,
        motion: str,
        genre: str,
        aspect: str,
        size: tuple[int, int],
        seed: int,
        index: int,
        wanted: Sequence[str],
        booker: Booker,
    ) -> Served[Image.Image]:
        """Scene `index`'s picture at exactly `size`, and who drew it."""
        shot = optimize(prompt, motion=motion, genre=genre, aspect=aspect, index=index)
        asks: list[_Ask | ProviderError] = []
        for name in self.chain(wanted):
            try:
                asks.append(self._ask(name, prompt, shot, genre, aspect, size, seed))
            except ProviderError as exc:  # not configured: the chain reports it and moves on
                asks.append(exc)
        # A re-run takes the answer some provider of the chain already gave (and was paid
        # for), even one that came from a fallback, instead of asking anybody again.
        for ask in asks:
            if isinstance(ask, _Ask):
                earlier = booker.stored(ask.provider, ask.model, ask.request)
                if earlier is not None:
                    attempt = Attempt(ask.chain_name, True, "booked earlier")
                    return Served(fit(earlier, size), ask.chain_name, [attempt])
        steps = [(self._name(a), self._step(a, booker, size)) for a in asks]
        return run_chain("images", steps)

    def title_card(
        self, title: str, *, genre: str, size: tuple[int, int], seed: int, booker: Booker
    ) -> Image.Image:
        """The episode's title card, drawn locally and booked at $0 like any picture."""

        def draw() -> Priced:
            card = artist.draw_title_card(
                title=title, genre=genre, width=size[0], height=size[1], seed=seed
            )
            return Priced(_png(card), "images", 1, 0.0, ".png")

        request = {"title_card": title, "genre": genre, "size": list(size), "seed": seed}
        payload, _ = booker.call(LOCAL_PROVIDER, LOCAL_MODEL, request, draw)
        return fit(payload, size)

    @staticmethod
    def _name(ask: _Ask | ProviderError) -> str:
        return ask.chain_name if isinstance(ask, _Ask) else ask.provider

    @staticmethod
    def _step(
        ask: _Ask | ProviderError, booker: Booker, size: tuple[int, int]
    ) -> Callable[[], Image.Image]:
        def run() -> Image.Image:
            if isinstance(ask, ProviderError):
                raise ask
            payload, _ = booker.call(
                ask.provider, ask.model, ask.request, ask.call, ask.estimate_usd
            )
            return fit(payload, size)

        return run

    def _ask(
        self,
        name: str,
        prompt: str,
        shot: ShotPrompt,
        genre: str,
        aspect: str,
        size: tuple[int, int],
        seed: int,
    ) -> _Ask:
        if name == LOCAL:

            def draw() -> Priced:
                image = artist.draw_scene(
                    prompt=prompt, genre=genre, width=size[0], height=size[1], seed=seed
                )
                return Priced(_png(image), "images", 1, 0.0, ".png")

            request = {"prompt": prompt, "genre": genre, "size": list(size), "seed": seed}
            return _Ask(LOCAL, LOCAL_PROVIDER, LOCAL_MODEL, request, draw)
        ep = self.endpoint(name)
        request = {"prompt": shot.prompt, "negative": shot.negative,
                   "size": model_size(ep.protocol, aspect), "seed": seed}  # fmt: skip

        def call() -> Priced:
            # Priced before the call: a missing price must fail before anything is paid.
            cost = self.prices().per_unit("images", ep.name, ep.model, "per_image", 1)
            model = self._client(ep)
            try:
                picture = model.generate(shot, aspect, seed)
            finally:
                model.http.close()
            return Priced(picture.data, "images", 1, cost, picture.suffix)

        estimate = self.prices().per_unit("images", ep.name, ep.model, "per_image", 1)
        return _Ask(name, ep.name, ep.model, request, call, estimate)

    def _client(self, ep: Endpoint) -> ImageModel:
        poll = PollSettings(
            interval=self.poll_interval,
            max_interval=self.poll_interval * 5,
            deadline=self.poll_deadline,
        )
        return client_for(ep.protocol, self.http(ep, _auth(ep)), ep.model, poll)
