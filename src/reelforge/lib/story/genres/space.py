"""Space and astronomy templates."""

from reelforge.lib.story.genre_data import Beat, GenreData

B = Beat

SPACE = GenreData(
    key="space",
    cores=(
        "a day on Venus lasts longer than a year on Venus",
        "Saturn is light enough to float in water, if you could find a bathtub big enough",
        "there are more stars in the universe than grains of sand on every beach on Earth",
        "footprints left on the Moon could last for millions of years",
        "one teaspoon of a neutron star would weigh about as much as a mountain",
        "the Sun makes up more than ninety nine percent of the mass of our solar system",
        "space is completely silent, because sound has nothing to travel through",
        "the sunlight on your face left the Sun about eight minutes ago",
        "Mars has a volcano about two and a half times taller than Mount Everest",
        "Jupiter has a storm bigger than the whole Earth that has raged for centuries",
        "astronauts grow a little taller while they live in space",
        "a year on Mercury lasts only eighty eight Earth days",
        "Uranus spins on its side, rolling around the Sun like a ball",
        "the Moon is slowly drifting away from Earth, a few centimeters every year",
        "some of the stars you see at night may no longer exist",
        "Neptune has winds faster than the speed of sound on Earth",
        "the space station circles our planet about sixteen times a day",
        "a giant cloud near the centre of our galaxy contains alcohol",
        "the Andromeda galaxy is on a slow collision course with the Milky Way",
        "sunsets on Mars glow blue",
        "the coldest place we know of is a cloud of gas called the Boomerang Nebula",
        "we always see the same side of the Moon",
    ),
    beats=(
        B(
            "Saturn's rings",
            "Saturn's main rings are almost as wide as the gap between Earth and the Moon, "
            "but in most places they are only about ten meters thick.",
            (
                "They are made of countless chunks of ice, from specks of dust to boulders "
                "the size of a house.",
            ),
            "a ringed gas giant over a dark horizon, {count} moons, {color} sky, star field",
        ),
        B(
            "Venus",
            "Venus spins backwards compared to most planets, so there the Sun rises in the west.",
            ("It also turns so slowly that a single day on Venus outlasts its whole year.",),
            "a glowing yellow planet wrapped in thick clouds, {color} haze, faint stars",
        ),
        B(
            "Jupiter's Great Red Spot",
            "Jupiter's Great Red Spot is a storm wider than the entire Earth.",
            (
                "People have been watching it swirl for more than three hundred years.",
                "Lately it has been shrinking, and nobody is sure how long it will last.",
            ),
            "a giant striped planet with a swirling red storm, {color} sky, {count} tiny moons",
        ),
        B(
            "Martian sunsets",
            "On Mars, sunsets glow blue, because fine dust scatters blue light toward the "
            "setting Sun.",
            ("During the day, the sky there looks more like butterscotch.",),
            "a small blue sun setting over red desert dunes, {color} dusk sky, two tiny moons",
        ),
        B(
            "Olympus Mons",
            "Olympus Mons on Mars is about two and a half times taller than Mount Everest.",
            (
                "It is so wide that, standing on its slope, you could not see the summit "
                "past the horizon.",
            ),
            "a colossal volcano mountain rising above a rusty red plain, {color} sky, a pale moon",
        ),
        B(
            "neutron stars",
            "A neutron star squeezes more mass than our Sun into a ball about the size of a city.",
            ("A single spoonful of it would weigh billions of tons.",),
            "a tiny blazing star with bright beams of light, {color} nebula, dense star field",
        ),
        B(
            "the drifting Moon",
            "The Moon drifts about four centimeters farther from Earth every year.",
            ("That is roughly as fast as your fingernails grow.",),
            "a large cratered moon above a calm ocean horizon, {color} night sky, scattered stars",
        ),
        B(
            "lunar footprints",
            "With no wind or rain on the Moon, the footprints of the Apollo astronauts could "
            "stay there for millions of years.",
            ("Only a stray meteorite is likely to ever erase them.",),
            "a lone astronaut figure on a grey moon plain, a blue planet rising, {color} glow",
        ),
        B(
            "sunlight",
            "The sunlight warming your face left the Sun about eight minutes ago.",
            ("Light from the next nearest star takes more than four years to reach us.",),
            "a blazing golden sun over a quiet planet horizon, {color} sky, long light rays",
        ),
        B(
            "the Andromeda galaxy",
            "The Andromeda galaxy is heading toward the Milky Way, and in about four and a "
            "half billion years the two will merge.",
            ("Stars are so far apart that almost none of them will actually collide.",),
            "two spiral galaxies drifting toward each other, {color} nebula clouds, star field",
        ),
        B(
            "the silence of space",
            "Space is silent, because sound needs air or water to travel through.",
            ("Astronauts on a spacewalk talk by radio, even when they float side by side.",),
            "an astronaut figure floating above a blue planet, {color} starry sky, a distant moon",
        ),
        B(
            "astronaut height",
            "Astronauts can grow up to three percent taller in orbit, because their spines "
            "stretch without gravity.",
            ("They shrink back to normal within months of coming home.",),
            "a space station orbiting a bright planet, {color} sky, a thin crescent moon",
        ),
        B(
            "Uranus",
            "Uranus is tipped on its side, so each pole gets about forty two years of sunlight "
            "and then forty two years of darkness.",
            ("Scientists think a giant collision knocked it over long ago.",),
            "a pale cyan planet tilted on its side with faint rings, {color} sky, star field",
        ),
        B(
            "Neptune's winds",
            "Neptune has the fastest winds in the solar system, at more than two thousand "
            "kilometers per hour.",
            ("And that is on a planet that gets very little heat from the Sun.",),
            "a deep blue planet streaked with white clouds, {color} sky, {count} moons",
        ),
        B(
            "the Boomerang Nebula",
            "The Boomerang Nebula is the coldest natural place we know, just one degree above "
            "absolute zero.",
            ("It is even colder than the faint afterglow of the Big Bang.",),
            "a glowing hourglass nebula with soft clouds, {color} and blue tones, star field",
        ),
        B(
            "a cosmic alcohol cloud",
            "Near the centre of our galaxy floats a vast cloud of gas that contains alcohol.",
            ("It also holds a chemical that gives raspberries part of their flavor.",),
            "a swirling galaxy core with a pink gas cloud, {color} glow, dense star field",
        ),
        B(
            "the space station",
            "The space station circles Earth about sixteen times a day, so its crew can see "
            "sixteen sunrises every day.",
            ("Each lap takes about ninety minutes.",),
            "a thin bright planet horizon with a rising sun, {color} sky, scattered stars",
        ),
        B(
            "Mercury",
            "Mercury is the closest planet to the Sun, yet Venus is hotter, because its thick "
            "clouds trap heat like a blanket.",
            ("At night, the surface of Mercury gets colder than anywhere in Antarctica.",),
            "a small grey cratered planet near a huge blazing sun, {color} sky",
        ),
        B(
            "counting stars",
            "Astronomers estimate there are more stars in the universe than grains of sand on "
            "all the beaches of Earth.",
            ("And every year, telescopes reveal galaxies nobody had seen before.",),
            "a deep field of countless stars, {color} nebula haze, a spiral galaxy at the centre",
        ),
        B(
            "the Sun",
            "The Sun holds more than ninety nine percent of all the mass in our solar system.",
            ("Jupiter accounts for most of what is left.",),
            "a huge glowing sun with small planets lined up beside it, {color} space, star field",
        ),
        B(
            "diamond rain",
            "Scientists think it may rain diamonds deep inside Neptune and Uranus.",
            ("Crushing pressure could squeeze carbon into crystals that sink toward the core.",),
            "a dark blue planet with glittering falling crystals, {color} sky, {count} moons",
        ),
        B(
            "the Moon's hidden side",
            "We always see the same side of the Moon, because it spins exactly once for "
            "every trip around Earth.",
            ("The far side is not dark, though; it gets just as much sunlight.",),
            "a bright full moon over dark mountain silhouettes, {color} night sky, stars",
        ),
    ),
    lexicon={
        "topic": ("space", "astronomy", "solar system", "planet", "cosmic"),
        "adj": (
            "strange",
            "wild",
            "mind blowing",
            "surprising",
            "bizarre",
            "little known",
            "weird",
            "beautiful",
            "unbelievable",
            "eerie",
        ),
        "fact": ("fact",),
        "facts": ("facts",),
        "color": (
            "deep violet",
            "indigo",
            "teal",
            "magenta",
            "golden",
            "crimson",
            "midnight blue",
            "rose pink",
            "emerald green",
            "amber",
            "silver",
            "orange",
        ),
        "count": ("two", "three", "four", "five"),
        "setting": (
            "lying in the grass under a clear night sky",
            "floating inside a quiet space station",
            "standing on a dark beach, watching the stars come out",
            "looking through a telescope for the very first time",
            "walking across a silent desert at midnight",
        ),
        "tail": (
            "that sound made up",
            "that sound like science fiction",
            "most people never learn",
            "that will change how you see the sky",
        ),
        "extra": (
            "Space really is that strange.",
            "Astronomers keep finding surprises like this.",
            "Let that sink in for a second.",
            "And we can see all of this from a tiny rock in a quiet corner of the galaxy.",
            "It is one of those facts that makes the night sky feel even bigger.",
            "Our own planet suddenly seems very ordinary.",
            "The universe does not care what sounds normal to us.",
        ),
        "closer": (
            "So next time you look up at night, remember how much is still out there.",
            "Follow for more space facts like this.",
            "The universe is stranger than any story we could make up.",
        ),
        "title": (
            "Space Is Stranger Than You Think",
            "The Universe Is Weirder Than Fiction",
        ),
    },
    hashtags=(
        "#astronomy",
        "#spacefacts",
        "#universe",
        "#planets",
        "#cosmos",
        "#nasa",
        "#stars",
        "#sciencefacts",
    ),
    core_hashtags=("#space",),
)
