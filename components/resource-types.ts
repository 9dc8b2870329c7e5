// The provider resource types the program registers, written once: the components create them, and
// the plan, its render, the policy pack and the tests find them in the recorded resources by these.

export const DOCKER_TYPES = {
    provider: "pulumi:providers:docker",
    service: "docker:index/service:Service",
    container: "docker:index/container:Container",
    network: "docker:index/network:Network",
    volume: "docker:index/volume:Volume",
    secret: "docker:index/secret:Secret",
    config: "docker:index/serviceConfig:ServiceConfig",
    /** The network lookup a stack that does not own the networks calls (an invoke, not a resource). */
    getNetwork: "docker:index/getNetwork:getNetwork",
} as const;

export const KUBERNETES_TYPES = {
    provider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    quota: "kubernetes:core/v1:ResourceQuota",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    secret: "kubernetes:core/v1:Secret",
    claim: "kubernetes:core/v1:PersistentVolumeClaim",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    service: "kubernetes:core/v1:Service",
    autoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    disruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
} as const;

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";
