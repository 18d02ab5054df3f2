"use client";
// The id is handed to a custom hook that loads the entity (hooks are not followed: an argument counts).
import { useParams } from "next/navigation";
import { useReturnRequest } from "@/hooks/use-return-request";

export default function ReturnPage() {
  const { returnId } = useParams<{ returnId: string }>();
  const { data, isLoading } = useReturnRequest(returnId);
  if (isLoading) return <p>Loading</p>;
  return <p>{data?.status}</p>;
}
