-- Argo CD health check for eniroute.io/NodeNetworkPolicy.
-- Install it as resource.customizations.health.eniroute.io_NodeNetworkPolicy in argocd-cm
-- (docs/user-guide.md, "Argo CD"). It reads the kstatus conditions the operator writes:
--   Stalled=True      -> Degraded     (rollout halted, or the policy is invalid: a person must act)
--   Reconciling=True  -> Progressing  (rollout under way, or nodes reverting after a deletion)
--   Ready=True        -> Healthy      (every selected node applied the current generation)
--   Ready=False       -> Degraded     (rollout done, some nodes failed within maxFailures)
-- and Progressing while the operator has not yet observed the current generation.
local hs = { status = "Progressing", message = "waiting for the eniroute operator to report a status" }
if obj.status == nil then
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  hs.message = "the operator has not observed generation " .. tostring(obj.metadata.generation) .. " yet"
  return hs
end
local byType = {}
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    byType[c.type] = c
  end
end
local stalled, reconciling, ready = byType["Stalled"], byType["Reconciling"], byType["Ready"]
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
elseif reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = reconciling.message
elseif ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
elseif ready ~= nil then
  hs.status = "Degraded"
  hs.message = ready.message
end
return hs
