"""Every mock row classified by outcome from its output, whatever the backend's shape; chains across tools."""

from __future__ import annotations

import pytest

from scenarist.generation.agent_model import RowOutcome
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.mocks import classify_output
from tests.generation.understanding.builders import make_agent, make_tool

S, N, F, E, P = (RowOutcome.SUCCESS, RowOutcome.NO_MATCH, RowOutcome.FAILURE, RowOutcome.EMPTY,
                 RowOutcome.PARTIAL)


@pytest.mark.parametrize("tool,output,outcome", [
    ("lookup_patient", {"match": True, "patient": {"patient_id": "P-1"}}, S),
    ("lookup_patient", {"match": False, "candidates": []}, N),
    ("find_customer", {"status": "NOT_FOUND"}, N),
    ("find_customer", [], N),
    ("get_appointments", {"status": 404, "error": "PATIENT_NOT_FOUND"}, N),
    ("verify_employee", {"verified": False, "reason": "MANAGER_MISMATCH"}, N),
    ("verify_cardholder", {"verified": False, "reason": "LOCKED", "attempts_remaining": 0}, F),
    ("verificar_titular", {"resultado": "NO_COINCIDE", "intentos_restantes": 2}, N),
    ("book_appointment", {"ok": False, "error_code": "BOOKING_FAILED", "message": "slot gone"}, F),
    ("lookup_patient", {"status": 503, "error": "EHR_UNAVAILABLE"}, F),
    ("transfer_call", {"transferred": False, "reason": "queue_closed"}, F),
    ("reschedule_delivery", {"rescheduled": False, "code": "WINDOW_FULL"}, F),
    ("start_transfer_in", {"transfer_status": "REJECTED", "reason": "SCHEDULE_II"}, F),
    ("cambiar_plan", {"resultado": "ERROR", "codigo": "PROVISION_NO_DISPONIBLE"}, F),
    ("check_availability", {"slots": []}, E),
    ("find_open_slots", {"slots": []}, E),
    ("get_appointments", {"patient_id": "P-1", "appointments": []}, E),
    ("check_zip_coverage", {"zip": "59301", "valid": True, "covered": False, "carrier_count": 0}, E),
    ("transfer_to_agent", {"status": "NO_AGENT_AVAILABLE", "agents_available": 0}, E),
    ("check_tables", {"requested_time_open": False, "open_times": ["18:00"]}, P),
    ("bloquear_linea", {"resultado": "OK", "bloqueo_sim": "ACTIVO", "bloqueo_imei": "NO_APLICADO"}, P),
    ("file_damage_claim", {"claim_number": "C-1", "status": "RECEIVED_INCOMPLETE"}, P),
    ("update_address", {"status": "PENDING_SHIPPER_APPROVAL"}, P),
    ("check_service_health", {"service": "email", "status": "degraded"}, S),
    ("get_balance", {"balance": 12.5}, S),
])
def test_outcome_of_each_backend_shape(tool, output, outcome):
    assert classify_output(output, tool) == outcome


def test_chains_follow_the_id_from_one_tool_to_the_next():
    tools = [
        make_tool("lookup_patient", [({"phone": "+15550001"}, {"match": True, "patient_id": "P-1", "name": "Ana Diaz"}),
                                     ({"phone": "+15550002"}, {"match": True, "patient_id": "P-2", "name": "Bo Li"}),
                                     ({"phone": "+15550009"}, {"match": False})]),
        make_tool("get_appointments", [({"patient_id": "P-2"}, {"appointments": [{"appointment_id": "A-20"}]}),
                                       ({"patient_id": "P-1"}, {"appointments": [{"appointment_id": "A-10"}]})]),
        make_tool("cancel_appointment", [({"appointment_id": "A-10"}, {"ok": True}),
                                         ({"appointment_id": "A-20"}, {"ok": False, "error": "CALENDAR_DOWN"})]),
    ]
    model = build_agent_model(make_agent("Help patients with appointments.", tools))
    chains = {tuple(c.rows): c for c in model.chains}
    ana = chains[(("lookup_patient", 0), ("get_appointments", 1), ("cancel_appointment", 0))]
    assert ana.all_success and ana.identity["phone"] == "+15550001" and ana.identity["full_name"] == "Ana Diaz"
    bo = chains[(("lookup_patient", 1), ("get_appointments", 0), ("cancel_appointment", 1))]
    assert not bo.all_success
    assert (("lookup_patient", 2),) in chains  # the no-match phone belongs to nobody
    lookup = model.tool("lookup_patient")
    assert lookup.no_match_output == {"match": False}
    assert model.tool("cancel_appointment").failure_output == {"ok": False, "error": "CALENDAR_DOWN"}
    assert model.tool("cancel_appointment").side_effect and not lookup.side_effect
    assert {f.id for f in model.failure_modes} == {"failure:lookup_patient:no_match",
                                                   "failure:cancel_appointment:failure"}
