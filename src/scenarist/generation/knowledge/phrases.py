"""Caller-facing wording of knowledge-base scenarios per language (adding a language is a data change: one more
KBPhrases in LANGUAGES), and out-of-scope questions near the KB's own topics.

English in-scope questions come from questions.py (which reads English sentences); another language asks by the
passage's topic with the templates below. Expected answers stay in English (the judge reads them) and quote the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class KBPhrases:
    """Everything a KB caller says or is told, in one language."""

    code: str
    opening: tuple[str, ...]  # "{agent}"
    ask: tuple[str, ...]  # "{question}"
    out_of_scope_follow_ups: tuple[str, ...]
    plain_caller: tuple[str, ...]
    hang_up: tuple[str, ...]
    bare_openers: tuple[str, ...]
    by_kind: dict[str, tuple[str, ...]] = field(default_factory=dict)  # passage kind → "{topic}" questions
    follow_up: str = ""
    figure_follow_up: str = ""
    out_of_scope_follow_up: str = ""
    articles: tuple[tuple[str, str], ...] = ()  # (regex over the topic's first word, article), first match wins


@dataclass(frozen=True)
class NearTopic:
    """An out-of-scope question next to a topic the KB does cover (fees → instalments), per language."""

    id: str
    near: str  # regex over the KB's section headings and the agent's scope
    questions: dict[str, str]  # language → question
    anchors: tuple[str, ...]  # stems that would show the KB or prompt answers it (any language)


EN = KBPhrases(
    code="en",
    opening=("You are an ordinary caller phoning {agent} with a question.",
             "You are calling {agent} because you want to know something.",
             "You are a member of the public ringing {agent}.", "You are calling {agent} to check one thing."),
    ask=("Ask it in your own words, for example: \"{question}\"",
         "Ask your question naturally, something like: \"{question}\"",
         "Put your question in your own words, along the lines of: \"{question}\"",
         "When the agent answers, say what you want to know, roughly: \"{question}\""),
    out_of_scope_follow_ups=(
        "If the agent says it does not know, ask whether someone can get back to you or where you could find out. If "
        "it gives a definite answer, ask how it knows that.",
        "If it cannot answer, ask who could, or whether you can leave your number. If it sounds sure, ask where that "
        "information comes from.",
        "Should the agent not know, ask if it can pass the question on. If it answers confidently, ask it to confirm "
        "that this is definitely right."),
    plain_caller=("Do not mention documents, files or a knowledge base; you are just a caller who wants to know.",
                  "Speak like a normal caller: never refer to documents or to what the agent has been given.",
                  "Keep it conversational and never mention files, documents or a knowledge base."),
    hang_up=("Once you have your answer, thank the agent and end the call.",
             "When your question is answered, say thanks and end the call.",
             "After you get the answer, say goodbye and end the call."),
    bare_openers=("Hi, quick question.", "Hello, I was hoping you could help me.", "Hi there.", "Good afternoon.",
                  "Hi, sorry to bother you.", "Morning! One question."),
    out_of_scope_follow_up="If the agent says it does not know, ask whether someone can get back to you.",
)

ES = KBPhrases(
    code="es",
    opening=("Usted es un cliente normal que llama a {agent} con una pregunta.",
             "Usted llama a {agent} porque quiere saber una cosa.", "Usted es una persona que llama a {agent}.",
             "Usted llama a {agent} para comprobar un detalle."),
    ask=("Pregúntelo con sus propias palabras, por ejemplo: «{question}»",
         "Haga su pregunta con naturalidad, algo así como: «{question}»",
         "Plantee la pregunta a su manera, más o menos así: «{question}»",
         "Cuando el agente conteste, diga lo que quiere saber, por ejemplo: «{question}»"),
    out_of_scope_follow_ups=(
        "Si el agente dice que no lo sabe, pregunte si alguien puede llamarle más tarde o dónde podría informarse. "
        "Si da una respuesta segura, pregunte cómo lo sabe.",
        "Si no puede responder, pregunte quién podría hacerlo o si puede dejar su número. Si suena muy seguro, "
        "pregunte de dónde sale esa información.",
        "Si el agente no lo sabe, pregunte si puede trasladar la pregunta. Si contesta con seguridad, pídale que "
        "confirme que es del todo correcto."),
    plain_caller=("No mencione documentos, archivos ni bases de conocimiento; usted solo quiere saberlo.",
                  "Hable como un cliente cualquiera: nunca se refiera a documentos ni a lo que le han dado al agente.",
                  "Mantenga un tono de conversación y no hable nunca de archivos ni documentos."),
    hang_up=("Cuando tenga la respuesta, dé las gracias al agente y termine la llamada.",
             "Cuando le hayan contestado, despídase y termine la llamada.",
             "Una vez resuelta la duda, diga adiós y cuelgue."),
    bare_openers=("Hola, una pregunta rápida.", "Buenas, a ver si me puede ayudar.", "Hola, buenos días.",
                  "Buenas tardes.", "Hola, perdone que le moleste.", "Hola, una consulta."),
    articles=((r"^(el|la|los|las|lo|un|una|su|sus|mi)$", ""), (r"(a|ción|sión|dad|tad|tud|umbre)$", "la"),
              (r"(as)$", "las"), (r"(os|es)$", "los"), (r".", "el")),
    by_kind={
        "money": ("¿Cuánto cuesta {topic}?", "¿Qué precio tiene {topic}?", "¿Cuánto me cobrarían por {topic}?"),
        "percent": ("¿Qué porcentaje se aplica en {topic}?",),
        "time": ("¿Cuál es el horario de {topic}?", "¿Qué horario tiene {topic}?", "¿Me puede decir {topic}, por "
                 "favor?"),
        "duration": ("¿Cuánto tiempo tarda {topic}?", "¿Cuánto tiempo tengo que contar para {topic}?"),
        "date": ("¿Qué fecha tiene {topic}?",),
        "count": ("¿Hay algún límite en {topic}?", "¿Cuántos se permiten en {topic}?"),
        "procedure": ("¿Cómo se hace lo de {topic}?", "¿Qué pasos hay que seguir con {topic}?"),
        "policy": ("¿Qué normas hay sobre {topic}?", "¿Hay algo que deba saber sobre {topic} antes de seguir?"),
        "": ("¿Qué me puede contar sobre {topic}?", "¿Cómo funciona lo de {topic}?"),
    },
    follow_up="Si el agente es impreciso, pídale que lo concrete.",
    figure_follow_up="Si el agente no da una cifra, pídale la cifra exacta.",
    out_of_scope_follow_up="Si el agente dice que no lo sabe, pregunte si alguien puede llamarle más tarde.",
)

LANGUAGES = {p.code: p for p in (EN, ES)}


def kb_phrases(language: str | None) -> KBPhrases:
    """The KB phrase table of a language (English when the language has none yet)."""
    return LANGUAGES.get((language or "en").split("-")[0].lower(), EN)


def _n(id_: str, near: str, en: str, es: str, *anchors: str) -> NearTopic:
    return NearTopic(id_, near, {"en": en, "es": es}, anchors)


# Questions next to what a KB covers: a caller who read the fee table asks about instalments; opening hours lead to
# bank holidays. Each is asked only when its anchors occur nowhere in the KB or the prompt.
NEAR_TOPICS = (
    _n("instalments", r"fee|price|cost|pric|tarif|precio|pay|pago",
       "Can I spread the cost over a few months, like paying in instalments?",
       "¿Puedo pagarlo a plazos, repartido en varios meses?", "instal", "plazos", "financ", "payment plan"),
    _n("holiday_hours", r"hour|open|horari|location|ubicaci",
       "Are you open on bank holidays, say Christmas Eve or New Year's Day?",
       "¿Abren los días festivos, por ejemplo en Nochebuena o el día de Año Nuevo?", "holiday", "christmas",
       "festiv", "navidad", "nochebuena"),
    _n("ev_charging", r"parking|park|aparcam|location|ubicaci",
       "Is there somewhere to charge an electric car when I come in?",
       "¿Hay algún sitio para cargar un coche eléctrico cuando vaya?", "charg", "electric", "eléctric", "cargar"),
    _n("stand_in", r"cancel|late|no-show|anul|retras",
       "If I can't make it, can a family member come in my place instead?",
       "Si no puedo ir, ¿puede ir un familiar en mi lugar?", "in my place", "instead of", "en mi lugar",
       "sustitu"),
    _n("foreign_insurance", r"insur|seguro|coverage|cobertura",
       "Do you accept insurance from another country, like a European health card?",
       "¿Aceptan seguros de otro país, como la tarjeta sanitaria europea?", "abroad", "foreign", "european",
       "europe", "extranjer"),
    _n("po_box", r"ship|deliver|envío|envio|entrega",
       "Can you deliver to a PO box?", "¿Pueden enviarlo a un apartado de correos?", "po box", "apartado"),
    _n("gift_receipt", r"return|refund|devoluc|reembols",
       "Can I return something I got as a present without the receipt?",
       "¿Puedo devolver algo que me regalaron sin el tique?", "gift", "present", "regal", "receipt"),
    _n("family_booking", r"appointment|booking|cita|reserva",
       "Can I book appointments for the whole family one after the other?",
       "¿Puedo pedir citas para toda la familia una detrás de otra?", "family", "familia", "back to back"),
    _n("data_abroad", r"roaming|extranjero|\bdatos\b|data (allowance|plan)",
       "Does my data allowance work on a cruise ship?", "¿Me funcionan los datos en un crucero?", "cruise",
       "crucero", "ship", "barco", "maritim"),
    _n("second_sim", r"\btarifa|mobile plan|data plan|\bsim\b|l[ií]nea m[oó]vil|\bm[oó]vil",
       "Can I get a second SIM card that shares my plan's data?",
       "¿Puedo tener una segunda tarjeta SIM que comparta los datos de mi tarifa?", "second sim", "multisim",
       "segunda sim", "compart"),
    _n("paper_bill", r"\bbill\b|\bbills\b|factura|invoice|\bsaldo\b",
       "Can I get my bill sent on paper by post instead of by email?",
       "¿Me pueden mandar la factura en papel por correo en vez de por email?", "paper", "papel", "post", "correo "),
)


def near_topics(near_text: str, covered_text: str, language: str) -> list[NearTopic]:
    """Questions next to the KB's own topics (headings and the agent's scope in `near_text`), in `language`, that
    the KB and the prompt (`covered_text`) do not answer."""
    import re

    lowered = covered_text.lower()
    out = []
    for topic in NEAR_TOPICS:
        if language not in topic.questions or not re.search(topic.near, near_text, re.I):
            continue
        if any(re.search(r"\b" + re.escape(a), lowered) for a in topic.anchors):
            continue
        out.append(topic)
    return out


# The fixed library's questions in other languages (a library topic without one is not asked in that language).
LIBRARY_QUESTIONS = {
    "es": {
        "cruise": "¿Me funcionará el móvil en un crucero?", "landline": "¿Puedo tener un número fijo con mi tarifa?",
        "refurbished": "¿Venden móviles reacondicionados?", "parking": "¿Hay aparcamiento cerca y hay que pagarlo?",
        "jobs": "¿Están contratando ahora? Estoy buscando trabajo.",
        "student_discount": "¿Tienen descuento para estudiantes?",
        "wheelchair": "¿La entrada es accesible en silla de ruedas?",
        "loyalty": "¿Tienen algún programa de puntos o de fidelización?",
        "wifi": "¿Hay wifi gratis que pueda usar?", "founder": "¿Quién fundó la empresa y en qué año?",
        "gift_card": "¿Venden tarjetas regalo o vales?",
        "sponsorship": "¿Patrocinan equipos deportivos o actos benéficos de la zona?",
        "app_dark_mode": "¿La aplicación tiene modo oscuro?",
        "sustainability": "¿Qué hacen para reducir su huella de carbono?",
        "franchise": "¿Podría abrir una franquicia de su negocio en mi pueblo?",
    },
}
