"""Given names that stand for one another, for `threatwatch.screen.v4`.

A hand-written table of common English, Russian and other European nicknames and of the same
given name across languages (Ted / Edward / Theodore, Sasha / Alexander, John / Juan / Ivan).
Spelling variants need no entry: string and skeleton similarity already line them up. A token
may belong to several groups (Ted is both Edward and Theodore); two tokens stand for one another
when they share a group.
"""

from __future__ import annotations

from functools import lru_cache

NICKNAME_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(line.split())
    for line in (
        "william bill billy will willy willie liam wilhelm guillermo guillaume",
        "robert bob bobby rob robbie",
        "richard dick rick ricky rich richie",
        "edward ed eddie ted teddy ned",
        "theodore ted teddy theo",
        "benjamin ben benny bibi binyamin",
        "alexander alex sasha sascha sacha alessandro alejandro sandro alek",
        "alexandra sasha sandra alessandra alejandra",
        "john johnny jack juan jean johann johannes hans giovanni ivan jan sean ioannis",
        "james jim jimmy jamie jaime jacques giacomo",
        "joseph joe joey jose giuseppe josef yusuf youssef yousef iosif osip",
        "michael mike mikey mick miguel michel mikhail misha michele",
        "nicholas nick nicky nikolai nikolay nicolas nicola kolya",
        "dmitry dima",
        "vladimir vova volodya volodymyr",
        "ivan vanya",
        "yevgeny evgeny zhenya eugene",
        "sergey sergei seryozha serge sergio",
        "alexei alexey aleksei aleksey alyosha",
        "anatoly tolya",
        "pavel pasha paul pablo paolo",
        "peter pete pyotr petr pedro pierre pietro",
        "andrew andy drew andrei andrey andre andres",
        "anthony tony antonio anton antoine",
        "charles charlie chuck carlos karl carl",
        "thomas tom tommy tomas",
        "francis frank francisco francesco francois franz paco pancho",
        "henry harry hank enrique henri heinrich",
        "elizabeth liz lizzy beth betty eliza elisabeth",
        "margaret maggie meg peggy margarita",
        "katherine catherine kate katie cathy ekaterina yekaterina katya",
        "maria mary marie masha mariya",
        "anna anne ann anya",
        "daniel dan danny",
        "david dave davy dawood daoud dawud",
        "samuel sam sammy",
        "stephen steve steven stefan esteban stepan",
        "christopher chris",
        "matthew matt matvey mateo matteo",
        "jonathan jon jonny",
        "timothy tim timmy",
        "patrick pat paddy",
        "joshua josh",
        "nathaniel nathan nate",
        "kenneth ken kenny",
        "ronald ron ronnie",
        "donald don donnie",
        "gerald jerry gerry",
        "lawrence larry",
        "leonard leo len lenny",
        "raymond ray",
        "walter walt",
        "barack barry",
        "abraham abe ibrahim",
        "moses musa",
        "jacob jake yakov yaakov yaqub",
        "solomon sulayman suleiman",
        "george georgy jorge georg giorgio georges",
        "boris borya",
        "konstantin kostya constantine",
        "grigory grisha gregory greg",
        "tatiana tatyana tanya",
        "natalia natalya natasha",
        "olga olya",
        "svetlana sveta",
        "lyudmila lyuda",
        "yelena elena lena helen helena",
    )
)
"""Each group: given names and nicknames that may stand for one another (lower-case ASCII)."""

_GROUPS_OF: dict[str, frozenset[int]] = {}
for _number, _group in enumerate(NICKNAME_GROUPS):
    for _name in _group:
        _GROUPS_OF[_name] = _GROUPS_OF.get(_name, frozenset()) | {_number}


NICKNAMES: frozenset[str] = frozenset(_GROUPS_OF)
"""Every name in the table."""


@lru_cache(maxsize=5_000)
def nickname_partners(token: str) -> frozenset[str]:
    """Return the names that stand for `token` (Ted: Edward, Theodore...), itself left out."""
    partners: set[str] = set()
    for number in _GROUPS_OF.get(token, frozenset()):
        partners |= NICKNAME_GROUPS[number]
    partners.discard(token)
    return frozenset(partners)


@lru_cache(maxsize=50_000)
def nickname_groups(token: str) -> frozenset[int]:
    """Return the numbers of the nickname groups a token belongs to (empty for most tokens)."""
    return _GROUPS_OF.get(token, frozenset())


def are_nicknames(a: str, b: str) -> bool:
    """Return whether two different tokens are known to stand for one another (Ted, Edward)."""
    return a != b and bool(nickname_groups(a) & nickname_groups(b))
