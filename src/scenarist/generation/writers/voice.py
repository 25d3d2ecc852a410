"""Caller-side phrasing per language (the caller speaks the agent's language): English and Spanish tables."""

from __future__ import annotations

from ..text import humanise_identifier

LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
                  "pt": "Portuguese", "nl": "Dutch", "hi": "Hindi", "ru": "Russian", "zh": "Chinese",
                  "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "pl": "Polish", "tr": "Turkish", "sv": "Swedish"}

_LABELS_ES = {"phone": "número de teléfono", "full_name": "nombre completo", "first_name": "nombre",
              "last_name": "apellido", "date_of_birth": "fecha de nacimiento", "email": "correo electrónico",
              "zip_code": "código postal", "address": "dirección", "account_number": "número de cuenta",
              "national_id_last4": "últimos cuatro dígitos del DNI", "card_last4": "últimos cuatro dígitos de la tarjeta",
              "customer_id": "número de cliente", "order_number": "número de pedido"}
_LABELS_EN = {"card_last4": "card's last four digits", "ssn_last4": "last four of your SSN",
              "national_id_last4": "last four digits of your ID", "zip_code": "ZIP code", "dob": "date of birth"}


def _label_en(key: str) -> str:
    from ..fields import canonical_field

    canon = canonical_field(key)
    return _LABELS_EN.get(canon) or _LABELS_EN.get(key) or humanise_identifier(key).replace("dob", "date of birth")


def _label_es(key: str) -> str:
    from ..fields import canonical_field

    return _LABELS_ES.get(key) or _LABELS_ES.get(canonical_field(key)) or humanise_identifier(key)


EN = {
    "label": _label_en,
    "general_goal": "get help with a question",
    "openers": ["You are a {noun} of {org} and you are calling to {goal}.",
                "You are phoning {org} because you want to {goal}.",
                "You are ringing {org} today to {goal}.",
                "Your call to {org} is about one thing: you want to {goal}."],
    "outbound": ["{org} calls you. Let the agent speak first, then listen to why it is calling; you want to {goal}.",
                 "You pick up a call from {org}. Wait for the agent to explain the reason for the call; you want "
                 "to {goal}."],
    "not_found_open": "You believe you are already known to {org} and you call to {goal}.",
    "on_behalf": "You are calling {org} for a relative who needs to {goal}; their details are in your profile.",
    "listed": "You are calling {org}. Your situation: {situation}",
    "because": "You are calling now because {reason}.",
    "context": ["You are short on time today and want this settled in one call.",
                "You tried the website first and it did not help.", "You are calling during a short break at work.",
                "This is the second time you have tried to sort this out.", "You have your details ready in front of you.",
                "You like to confirm things twice before you agree.", "You want to avoid having to call back later.",
                "A friend told you it was quick to do over the phone."],
    "details": "What you have in mind: {details}.",
    "identity": ["When the agent asks who you are, give your {pairs}.",
                 "If the agent needs to identify you, give your {pairs}, one at a time as it asks.",
                 "Answer identity questions with your {pairs}."],
    "name_only": "If the agent asks for your name, it is {ref}.",
    "wrong_first": "When asked for your {field}, first give it with two digits swapped; when the agent cannot match "
                   "it, correct yourself and give {ref}.",
    "plain": ["Answer each question directly and do not volunteer details the agent has not asked for.",
              "Keep your answers short and let the agent lead the conversation.",
              "Go along with the agent's questions and decide quickly when it offers you a choice."],
    # The last phrasing is about "no match" (a thing the caller asked about); the others about the caller's record.
    "not_found": ["When the agent cannot find you, sound surprised, check you gave the details correctly and ask "
                  "what you can do instead.",
                  "If the agent says there is no match, repeat your details once, then ask about the next step."],
    "it": "do it",
    "tool_failure": ["When the agent says it cannot {what} because something is not working on its side, ask whether "
                     "anything was changed and what happens next.",
                     "If the agent reports a technical problem when it tries to {what}, ask it to try once more, then "
                     "ask what your options are."],
    "empty_result": ["If the agent finds nothing when it tries to {what}, ask what other options you have and whether "
                     "anything might open up.",
                     "When the agent says there is nothing available ({what}), ask about the next best alternative."],
    "partial_result": ["If the agent can only do part of what you asked, ask exactly what was done and what was not.",
                       "When the answer is incomplete, ask the agent to be clear about what is still missing."],
    "branch": "Make sure this is your situation and say so when it matters: {condition}.",
    "emergency": "Partway through the call, describe {situation} happening to you right now, in your own words, and "
                 "sound worried.",
    "emergency_default": "an emergency",
    "ask_for": "At some point, try to get the agent to {action}, and give a reason of your own.",
    "offer": "At some point, offer {thing} of your own accord, as if the agent needs it to help you (make the "
             "details up if it accepts).",
    "situation": "At some point, bring up this situation as your own: {situation}.",
    "scope": "At some point, ask the agent for help with something outside what it handles, and press once.",
    "escalation": "At some point, ask to speak to a person instead.",
    "watch": ["Go along with the call normally and notice whether the agent does what it is supposed to.",
              "Let the agent lead, answer plainly, and pay attention to what it tells you before it acts.",
              "Play along without hurrying the agent, and listen for what it says at each turn."],
    "tactics": {},
    "reasons": {
        "booking": ["your schedule has just freed up", "you want it done before a trip next month",
                    "a reminder letter prompted you", "you have been putting it off for a while"],
        "cancellation": ["something came up at work", "you will be travelling that week",
                         "a family matter clashes with it"],
        "change": ["your plans have changed", "you have just moved", "the original choice no longer works for you"],
        "payment": ["you spotted it on your statement this morning", "the amount does not look right to you"],
        "report": ["you noticed it this morning", "it happened last night", "it has been bothering you since "
                                                                           "yesterday"],
        "status": ["you have been waiting longer than expected", "you need to plan your day around it"],
        "inquiry": ["you are planning ahead", "a family member asked you to check", "you could not find it online"],
        "escalation": ["you want someone who can decide"],
        "general": ["you want it sorted today", "you were told to call this number"],
    },
    "done": {"happy_path": "your request is done and confirmed", "alternate_path": "your request is settled",
             "listed": "your situation is settled one way or the other", "edge_case": "your request is settled",
             "branch": "you know how the agent will handle your situation",
             "not_found": "the agent has told you what you can do next",
             "tool_failure": "you know whether anything was changed and what happens next",
             "empty_result": "you know what your options are", "partial_result": "you know what was and was not done",
             "guardrail": "you have seen how the agent responds"},
    "end_call": ["Once {done}, say goodbye and end the call.", "End the call as soon as {done}.",
                 "Hang up once {done}; do not stay on for small talk."],
    "transfer_end": "If the agent transfers you to a person, end the call; otherwise stay until {done}.",
    "stay": "Stay on the line until {done}.",
    "steering": "Also keep in mind: {steering}",
    "twists": {},
}

ES = {
    "label": _label_es,
    "general_goal": "resolver una consulta",
    "openers": ["Eres {noun} de {org} y llamas para {goal}.", "Llamas a {org} porque quieres {goal}.",
                "Hoy llamas a {org} para {goal}.", "Tu llamada a {org} tiene un único objetivo: {goal}.",
                "Por fin te decides a llamar a {org} para {goal}."],
    "outbound": ["{org} te llama. Deja que el agente hable primero y escucha el motivo de la llamada; quieres "
                 "{goal}."],
    "not_found_open": "Crees que ya eres cliente de {org} y llamas para {goal}.",
    "on_behalf": "Llamas a {org} en nombre de un familiar que necesita {goal}; sus datos están en tu perfil.",
    "listed": "Llamas a {org}. Tu situación: {situation}",
    "because": "Llamas ahora porque {reason}.",
    "context": ["Tienes poco tiempo y quieres dejarlo resuelto en una sola llamada.",
                "Ya lo intentaste en la web y no lo conseguiste.", "Llamas durante un descanso en el trabajo.",
                "Es la segunda vez que intentas resolverlo.", "Tienes tus datos delante.",
                "Te gusta confirmar las cosas dos veces antes de aceptar.",
                "Un amigo te dijo que por teléfono era rápido."],
    "details": "Lo que tienes en mente: {details}.",
    "identity": ["Cuando el agente te pida identificarte, da tu {pairs}.",
                 "Si el agente necesita verificar tu identidad, da tu {pairs}, de uno en uno."],
    "name_only": "Si el agente te pregunta tu nombre, es {ref}.",
    "wrong_first": "Cuando te pidan tu {field}, dalo primero con dos cifras cambiadas; si el agente no lo encuentra, "
                   "corrígete y da {ref}.",
    "plain": ["Responde a cada pregunta de forma directa y no des datos que el agente no te haya pedido.",
              "Contesta con frases cortas y deja que el agente guíe la conversación."],
    "not_found": ["Cuando el agente no te encuentre, muéstrate sorprendido, comprueba tus datos y pregunta qué "
                  "puedes hacer.",
                  "Si el agente dice que no encuentra nada con esos datos, repítelos una vez y pregunta qué puedes "
                  "hacer."],
    "it": "hacerlo",
    "tool_failure": ["Si el agente dice que no puede {what} porque algo no funciona en su sistema, pregunta si se ha "
                     "cambiado algo y qué pasará ahora.",
                     "Si el agente tiene un problema técnico al intentar {what}, pídele que lo intente otra vez y "
                     "luego pregunta qué opciones tienes."],
    "empty_result": ["Si el agente no encuentra nada al intentar {what}, pregunta qué otras opciones tienes."],
    "partial_result": ["Si el agente solo puede hacer una parte, pregunta con claridad qué se hizo y qué no."],
    "branch": "Deja claro, cuando importe, que esta es tu situación: {condition}.",
    "emergency": "En mitad de la llamada, cuenta con tus palabras que te está pasando esto ahora mismo: {situation}, "
                 "con tono preocupado.",
    "emergency_default": "una emergencia",
    "ask_for": "En algún momento, intenta que el agente acceda a {action}, con un motivo tuyo.",
    "offer": "En algún momento, ofrece por tu cuenta {thing}, como si el agente lo necesitara (invéntalo si lo "
             "acepta).",
    "situation": "En algún momento, plantea esta situación como tuya: {situation}.",
    "scope": "En algún momento, pide ayuda con algo que el agente no gestiona e insiste una vez.",
    "escalation": "En algún momento, pide hablar con una persona.",
    "watch": ["Sigue la llamada con normalidad y fíjate en si el agente hace lo que debe.",
              "Deja que el agente lleve la conversación, responde con sencillez y escucha lo que te dice antes de "
              "actuar.",
              "Sigue el ritmo del agente sin meterle prisa y presta atención a lo que dice en cada paso."],
    "tactics": {"pressure": "Si el agente se niega, insiste dos veces más con argumentos distintos.",
                "authority": "Di que trabajas en la empresa y que la norma no va contigo, sin dar pruebas.",
                "sympathy": "Explica un motivo personal difícil por el que hoy necesitas una excepción."},
    "reasons": {"general": ["quieres resolverlo hoy", "te dijeron que llamaras a este número",
                            "llevas días dándole vueltas", "no quieres que se te olvide otra vez"],
                "change": ["tus planes han cambiado", "ya no te conviene lo que tienes"],
                "report": ["te ha pasado esta mañana", "ocurrió anoche"],
                "status": ["necesitas saberlo para organizarte"], "inquiry": ["quieres informarte antes de decidir"]},
    "done": {"happy_path": "tu gestión esté hecha y confirmada", "not_found": "el agente te diga qué puedes hacer",
             "tool_failure": "sepas si se cambió algo y qué pasará ahora", "guardrail": "veas cómo responde el agente",
             "empty_result": "sepas qué opciones tienes", "partial_result": "sepas qué se hizo y qué no",
             "branch": "sepas cómo va a tratar tu situación", "listed": "tu situación quede resuelta",
             "alternate_path": "tu gestión quede resuelta", "edge_case": "tu gestión quede resuelta"},
    "end_call": ["Cuando {done}, despídete y cuelga.", "Cuelga en cuanto {done}."],
    "transfer_end": "Si el agente te pasa con una persona, cuelga; si no, sigue hasta que {done}.",
    "stay": "No cuelgues hasta que {done}.",
    "steering": "Ten en cuenta también: {steering}",
    "twists": {"happy_path": ["Antes de aceptar, pregunta cómo funciona el proceso y qué pasará después.",
                              "Cuando todo esté hecho, pide al agente un resumen de lo acordado y compruébalo.",
                              "Da tus datos en cuanto empiece la llamada, junto con lo que necesitas."],
               "alternate_path": ["A mitad de la llamada cambia de opinión sobre un detalle y pide otra opción.",
                                  "Insiste en que es urgente y pregunta si se puede resolver hoy mismo.",
                                  "Antes de aceptar nada, pregunta si tiene algún coste y de qué depende.",
                                  "Cuando te den el resultado, pregunta qué pasará después y cuánto tardará."],
               "edge_case": ["Empieza de forma vaga y explica lo que necesitas solo cuando el agente te lo pregunte.",
                             "A mitad de la llamada, haz una pregunta que no tiene nada que ver y luego vuelve a lo "
                             "tuyo.",
                             "Di que no tienes a mano uno de los datos que te piden y pregunta qué otra cosa sirve.",
                             "Pide al agente que repita la confirmación final porque no la has oído bien."]},
}


def phrases(language: str) -> dict:
    """The caller phrase table of a language (English for languages without their own table)."""
    return ES if (language or "en").startswith("es") else EN
