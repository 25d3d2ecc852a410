"""A Spanish knowledge base for the Spanish corpus agent (spanish-telecom), as the service would hold it."""

from __future__ import annotations

from scenarist.generation.types import AgentSpec, KBDocument
from tests.generation.redteam.helpers import corpus_agent

TARIFAS = """# Tarifas Movilia

## Tarifa Básica
La Tarifa Básica cuesta 9,90 euros al mes e incluye 10 GB de datos y llamadas ilimitadas a fijos y móviles.

## Tarifa Plus
La Tarifa Plus cuesta 19,90 euros al mes e incluye 60 GB de datos, llamadas ilimitadas y 5 GB en itinerancia
dentro de la Unión Europea.

## Cambio de tarifa
El cambio de tarifa se aplica el primer día del mes siguiente y no tiene coste. Solo se puede cambiar de tarifa
una vez al mes.

## Horario de atención
Atendemos por teléfono de lunes a sábado, de 9:00 a 21:00. Los domingos solo funciona la línea de robo y pérdida.

## Duplicado de tarjeta SIM
El duplicado de la tarjeta SIM cuesta 5 euros y se recoge en cualquier tienda Movilia con el documento de identidad.
"""


def spanish_agent() -> AgentSpec:
    """spanish-telecom with a Spanish tariff sheet as its knowledge base."""
    agent, _ = corpus_agent("spanish-telecom")
    doc = KBDocument(file_id=901, file_name="tarifas.md", file_type="text/markdown", text=TARIFAS)
    return agent.model_copy(update={"kb_files": [doc]})
